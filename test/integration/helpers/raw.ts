// A raw XML-over-socket peer for the tests that must send what no well-behaved client library
// would (malformed XML, oversized stanzas, authentication before TLS) or check exact bytes.
import net from "node:net";
import tls from "node:tls";

export class RawPeer {
  private buffer = "";
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(private socket: net.Socket) {
    this.listen(socket);
  }

  static async connect(port: number, opts: { tls?: boolean } = {}): Promise<RawPeer> {
    const socket = opts.tls
      ? tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false, servername: "localhost" })
      : net.connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => {
      socket.once(opts.tls ? "secureConnect" : "connect", () => resolve());
      socket.once("error", reject);
    });
    return new RawPeer(socket);
  }

  private listen(socket: net.Socket): void {
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => {
      this.buffer += d;
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  get received(): string {
    return this.buffer;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  open(domain = "localhost"): void {
    this.write(`<?xml version='1.0'?><stream:stream to='${domain}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`);
  }

  /** Waits until the received text matches, then returns everything received so far. */
  async until(pattern: RegExp | string, what: string, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const matches = () => (typeof pattern === "string" ? this.buffer.includes(pattern) : pattern.test(this.buffer));
    while (!matches()) {
      if (this.closed) throw new Error(`connection closed before ${what}; received: ${this.buffer.slice(-500)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received: ${this.buffer.slice(-500)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.min(left, 200)).unref();
      });
    }
    return this.buffer;
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!this.closed) throw new Error("connection was not closed by the server");
  }

  /** Upgrades this plain connection to TLS (after <proceed/>). */
  async startTls(): Promise<void> {
    this.socket.removeAllListeners("data");
    this.socket.removeAllListeners("close");
    const secure = tls.connect({ socket: this.socket, rejectUnauthorized: false, servername: "localhost" });
    await new Promise<void>((resolve, reject) => {
      secure.once("secureConnect", () => resolve());
      secure.once("error", reject);
    });
    this.socket = secure;
    this.buffer = "";
    this.listen(secure);
  }

  clear(): void {
    this.buffer = "";
  }

  destroy(): void {
    this.socket.destroy();
  }
}
