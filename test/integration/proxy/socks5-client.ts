// A SOCKS5 client written from RFC 1928 for the proxy tests (independent of the server's own
// parser): greeting, CONNECT request, reply, with the option to dribble the handshake one byte
// per TCP write. Plus the XEP-0065 §5.3.2 stream address, computed here from the spec.
import { createHash } from "node:crypto";
import net, { type Socket } from "node:net";

export function dstAddr(sid: string, requester: string, target: string): string {
  return createHash("sha1").update(sid + requester + target).digest("hex");
}

export interface SocksReply {
  rep: number;
  atyp: number;
  /** BND.ADDR for a domain reply. */
  address: string;
  port: number;
}

/** Reads exactly n bytes (or rejects when the socket closes first). */
export function readExactly(socket: Socket, n: number, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => done(new Error(`timed out reading ${n} bytes (got ${buf.length})`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= n) {
        // Stop reading first: unshift in flowing mode would hand the bytes straight back to us.
        done(undefined, buf.subarray(0, n));
        const extra = buf.subarray(n);
        if (extra.length > 0) socket.unshift(extra);
      }
    };
    const onEnd = () => done(new Error(`connection closed after ${buf.length} of ${n} bytes`));
    const done = (err?: Error, value?: Buffer) => {
      clearTimeout(timer);
      // Back to paused mode, so bytes arriving later wait for the next reader instead of being dropped.
      socket.pause();
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("close", onEnd);
      if (err) reject(err);
      else resolve(value!);
    };
    socket.on("data", onData);
    socket.once("end", onEnd);
    socket.once("close", onEnd);
    socket.resume();
  });
}

export function openSocket(port: number, host = "127.0.0.1"): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host }, () => resolve(s));
    s.setNoDelay(true);
    s.once("error", reject);
  });
}

/** Writes bytes one per TCP segment (a pause between writes keeps the kernel from merging them). */
export async function dribble(socket: Socket, bytes: Buffer): Promise<void> {
  for (const b of bytes) {
    socket.write(Buffer.from([b]));
    await new Promise((r) => setTimeout(r, 2));
  }
}

export function greeting(methods: number[] = [0x00]): Buffer {
  return Buffer.from([0x05, methods.length, ...methods]);
}

export function connectRequest(address: string, opts: { command?: number; port?: number } = {}): Buffer {
  const name = Buffer.from(address, "latin1");
  const port = Buffer.alloc(2);
  port.writeUInt16BE(opts.port ?? 0);
  return Buffer.concat([Buffer.from([0x05, opts.command ?? 0x01, 0x00, 0x03, name.length]), name, port]);
}

/** Reads a SOCKS5 reply (RFC 1928 §6) of any address type. */
export async function readReply(socket: Socket): Promise<SocksReply> {
  const head = await readExactly(socket, 4);
  const atyp = head[3]!;
  let address = "";
  if (atyp === 0x01) address = [...(await readExactly(socket, 4))].join(".");
  else if (atyp === 0x04) address = (await readExactly(socket, 16)).toString("hex");
  else if (atyp === 0x03) {
    const len = (await readExactly(socket, 1))[0]!;
    address = (await readExactly(socket, len)).toString("latin1");
  } else throw new Error(`reply with unknown ATYP ${atyp}`);
  const port = (await readExactly(socket, 2)).readUInt16BE(0);
  return { rep: head[1]!, atyp, address, port };
}

/** Connects and negotiates a stream address; resolves with the socket ready to relay and the reply. */
export async function socksConnect(port: number, address: string, opts: { host?: string; split?: boolean } = {}): Promise<{ socket: Socket; reply: SocksReply }> {
  const socket = await openSocket(port, opts.host);
  const send = (b: Buffer) => (opts.split ? dribble(socket, b) : void socket.write(b));
  await send(greeting());
  const method = await readExactly(socket, 2);
  if (method[0] !== 0x05 || method[1] !== 0x00) throw new Error(`method selection ${method.toString("hex")}`);
  await send(connectRequest(address));
  const reply = await readReply(socket);
  return { socket, reply };
}

/** Resolves when the socket is closed by the other side (bounded). */
export function closed(socket: Socket, timeoutMs = 15_000): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("socket still open")), timeoutMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on("error", () => {});
    socket.resume();
  });
}
