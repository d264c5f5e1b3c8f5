// @xmpp/client (a client we did not write) connected to a test server, plus a bounded wait for
// incoming stanzas. The server's certificate is self-signed, so verification is off in tests.
import { client as xmppClient, xml, type Client } from "@xmpp/client";
import type { Element as XmppElement } from "@xmpp/xml";

process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

export { xml };
export type { XmppElement };

export interface TestClient {
  xmpp: Client;
  jid: string;
  /** Every stanza received since connect (message, presence, iq). */
  received: XmppElement[];
  waitFor(predicate: (el: XmppElement) => boolean, what: string, timeoutMs?: number): Promise<XmppElement>;
  send(el: XmppElement): Promise<void>;
  iq(el: XmppElement, timeoutMs?: number): Promise<XmppElement>;
  stop(): Promise<void>;
}

export interface ConnectOptions {
  port: number;
  username: string;
  password: string;
  domain?: string;
  resource?: string;
  directTls?: boolean;
  /** Force a SASL mechanism ("SCRAM-SHA-1", "PLAIN"). */
  mechanism?: string;
  /** Send initial presence after login (default true). */
  presence?: boolean;
}

export async function connect(opts: ConnectOptions): Promise<TestClient> {
  const domain = opts.domain ?? "localhost";
  const service = `${opts.directTls ? "xmpps" : "xmpp"}://127.0.0.1:${opts.port}`;
  const xmpp = xmppClient({
    service,
    domain,
    resource: opts.resource,
    // xmpp.js waits 2 s by default for each stream step; a loaded 2-core CI machine (and the
    // client's own synchronous SCRAM hashing) can take longer without anything being wrong.
    timeout: 15_000,
    credentials: async (authenticate: (c: object, m: string) => Promise<void>, mechanisms: string[]) => {
      // PLAIN over TLS unless a test asks for SCRAM: @xmpp/client computes SCRAM's PBKDF2 in
      // synchronous JavaScript (~1 s at 4096 iterations), which would stall the shared event loop
      // of the in-process server. SCRAM itself has its own tests.
      const mech = opts.mechanism ?? (mechanisms.includes("PLAIN") ? "PLAIN" : mechanisms[0]!);
      await authenticate({ username: opts.username, password: opts.password }, mech);
    },
  } as never);
  xmpp.reconnect.stop();
  const received: XmppElement[] = [];
  const waiters = new Set<{ predicate: (el: XmppElement) => boolean; resolve: (el: XmppElement) => void }>();
  xmpp.on("stanza", (el: XmppElement) => {
    received.push(el);
    for (const w of waiters) {
      if (w.predicate(el)) {
        waiters.delete(w);
        w.resolve(el);
      }
    }
  });
  xmpp.on("error", () => {});
  const address = await xmpp.start();
  if (opts.presence !== false) await xmpp.send(xml("presence"));
  return {
    xmpp,
    jid: address.toString(),
    received,
    waitFor(predicate, what, timeoutMs = 5000) {
      const already = received.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const w = { predicate, resolve };
        waiters.add(w);
        setTimeout(() => {
          if (waiters.delete(w)) reject(new Error(`timed out waiting for ${what}`));
        }, timeoutMs).unref();
      });
    },
    send: (el) => xmpp.send(el),
    iq: (el, timeoutMs = 5000) => xmpp.iqCaller.request(el, timeoutMs),
    async stop() {
      try {
        await xmpp.stop();
      } catch {
        /* already gone */
      }
    },
  };
}

/** Resolves with the error the login attempt fails with (or rejects if it succeeds). */
export async function loginError(opts: ConnectOptions): Promise<Error> {
  try {
    const c = await connect({ ...opts, presence: false });
    await c.stop();
  } catch (err) {
    return err as Error;
  }
  throw new Error("login unexpectedly succeeded");
}
