// The physical reference for transfer benchmarks: how fast this machine moves bytes from `dd`
// through one local TCP connection into a sink that discards them. A relay (SOCKS5 proxy, HTTP
// upload) can at best approach this figure, so transfer benchmarks report their throughput as a
// ratio to it, measured in the same run on the same machine.
import { spawn } from "node:child_process";
import net from "node:net";
import type { AddressInfo } from "node:net";

export interface LoopbackCopyResult {
  /** Bytes the sink received (equals the requested count). */
  bytes: number;
  /** Wall time from starting dd until the sink saw the last byte. */
  seconds: number;
  bytesPerSecond: number;
}

/** A TCP server on 127.0.0.1 that counts and drops what it receives; resolves on the first connection's end. */
function startSink(): Promise<{ port: number; received: Promise<number>; close: () => void }> {
  return new Promise((resolveStart, rejectStart) => {
    let resolveReceived!: (n: number) => void;
    let rejectReceived!: (e: Error) => void;
    const received = new Promise<number>((res, rej) => {
      resolveReceived = res;
      rejectReceived = rej;
    });
    const server = net.createServer((socket) => {
      let count = 0;
      socket.on("data", (chunk: Buffer) => {
        count += chunk.length;
      });
      socket.on("end", () => resolveReceived(count));
      socket.on("error", rejectReceived);
    });
    server.on("error", rejectStart);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolveStart({ port, received, close: () => server.close() });
    });
  });
}

/**
 * Copies `bytes` zero bytes with `dd if=/dev/zero bs=1M` (GNU dd, `iflag=count_bytes` so any
 * count is exact) into a TCP connection on 127.0.0.1 and measures until the sink has them all.
 * dd's stdout is the client socket's file descriptor via a pipe into Node's socket, the same
 * path a relay's bytes take through the kernel's loopback.
 */
export async function measureLoopbackCopy(bytes: number): Promise<{ bytes: number; seconds: number; bytesPerSecond: number }> {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new RangeError(`measureLoopbackCopy: bytes must be a positive integer, got ${bytes}`);
  const sink = await startSink();
  try {
    const started = process.hrtime.bigint();
    const client = net.connect(sink.port, "127.0.0.1");
    await new Promise<void>((res, rej) => {
      client.once("connect", () => res());
      client.once("error", rej);
    });
    const dd = spawn("dd", ["if=/dev/zero", "bs=1M", `count=${bytes}`, "iflag=count_bytes", "status=none"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let ddErr = "";
    dd.stderr.setEncoding("utf8").on("data", (s: string) => {
      ddErr += s;
    });
    const ddExit = new Promise<void>((res, rej) => {
      dd.on("error", rej);
      dd.on("close", (code) => (code === 0 ? res() : rej(new Error(`dd exited with ${code}: ${ddErr.trim()}`))));
    });
    // pipe() ends the client socket when dd's stdout ends and honours backpressure both ways.
    dd.stdout.pipe(client);
    const [received] = await Promise.all([sink.received, ddExit]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (received !== bytes) throw new Error(`loopback copy: sink received ${received} of ${bytes} bytes`);
    return { bytes: received, seconds, bytesPerSecond: received / seconds };
  } finally {
    sink.close();
  }
}
