// Real handshakes on 127.0.0.1 against the manager's options: the certificate a client actually
// receives is the proof, for direct TLS (tls.createServer) and STARTTLS (a TLSSocket upgrade),
// before and after reload.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import * as net from "node:net";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import * as tls from "node:tls";
import { ConfigError } from "../../../src/errors.js";
import { TlsContextManager } from "../../../src/tls/context.js";
import { generateSelfSigned } from "../../../src/tls/selfsigned.js";
import { recordingLogger, tempDir, testConfig } from "./helpers.js";

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
const peerFingerprint = (socket: tls.TLSSocket) => socket.getPeerX509Certificate()?.fingerprint256;

/** A manager over configured files, so tests can replace the files and reload. */
function configuredManager(t: TestContext, options: { minVersion?: "TLSv1.2" | "TLSv1.3" } = {}) {
  const dir = tempDir(t);
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  const install = (pair: { cert: string; key: string }) => {
    writeFileSync(certPath, pair.cert);
    writeFileSync(keyPath, pair.key);
    return pair;
  };
  const first = install(generateSelfSigned({ commonName: "localhost", altNames: ["conference.localhost"] }));
  const log = recordingLogger();
  const config = testConfig(dir, {
    services: { conference: true },
    tls: { cert: certPath, key: keyPath, minVersion: options.minVersion ?? "TLSv1.2" },
  });
  return { manager: new TlsContextManager(config, log), first, install, certPath, log };
}

/** An echo server: whatever a client sends comes back, so a connection's liveness is observable. */
async function listen(t: TestContext, server: net.Server): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return (server.address() as net.AddressInfo).port;
}

function directTlsServer(t: TestContext, manager: TlsContextManager): { server: tls.Server; port: Promise<number> } {
  const server = tls.createServer(manager.serverOptions(), (socket) => socket.pipe(socket));
  return { server, port: listen(t, server) };
}

async function connect(t: TestContext, port: number, options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  const socket = tls.connect({ host: "127.0.0.1", port, ...options });
  t.after(() => socket.destroy());
  await once(socket, "secureConnect");
  return socket;
}

async function echo(socket: tls.TLSSocket, text: string): Promise<string> {
  socket.write(text);
  const [data] = (await once(socket, "data")) as [Buffer];
  return data.toString();
}

/** Without SNI (a client connecting by IP address); the identity is still checked, against localhost. */
const noSni: tls.ConnectionOptions = { checkServerIdentity: (_host, cert) => tls.checkServerIdentity("localhost", cert) };

test("a client trusting the certificate completes the handshake for the domain and a service name", async (t) => {
  const { manager, first } = configuredManager(t);
  const port = await directTlsServer(t, manager).port;
  for (const servername of ["localhost", "conference.localhost"]) {
    const socket = await connect(t, port, { ca: first.cert, servername });
    assert.equal(socket.authorized, true);
    assert.equal(peerFingerprint(socket), fingerprint(first.cert));
    assert.equal(await echo(socket, "hello"), "hello");
  }
});

test("the generated self-signed certificate works end to end", async (t) => {
  const log = recordingLogger();
  const manager = new TlsContextManager(testConfig(tempDir(t), { services: { conference: true } }), log);
  assert.equal(manager.credentials.selfSigned, true);
  const port = await directTlsServer(t, manager).port;
  const socket = await connect(t, port, { ca: manager.credentials.cert, servername: "conference.localhost" });
  assert.equal(peerFingerprint(socket), fingerprint(manager.credentials.cert));
});

test("after reload a new connection gets the new certificate while an established one keeps working", async (t) => {
  const { manager, first, install } = configuredManager(t);
  const port = await directTlsServer(t, manager).port;
  const old = await connect(t, port, { ca: first.cert, servername: "localhost" });
  assert.equal(peerFingerprint(old), fingerprint(first.cert));

  const second = install(generateSelfSigned({ commonName: "localhost", altNames: ["conference.localhost"] }));
  assert.deepEqual(manager.reload(), { ok: true });

  const fresh = await connect(t, port, { ca: [first.cert, second.cert], servername: "localhost" });
  assert.equal(peerFingerprint(fresh), fingerprint(second.cert));
  assert.equal(await echo(old, "still here"), "still here");
  assert.equal(await echo(fresh, "new one"), "new one");
});

test("a reload from a broken file reports the error and keeps serving the old certificate", async (t) => {
  const { manager, first, certPath, log } = configuredManager(t);
  const port = await directTlsServer(t, manager).port;
  writeFileSync(certPath, "garbage\n");
  const result = manager.reload();
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.error instanceof ConfigError && result.error.key === "tls.cert");
  assert.match(log.text("error"), /keeping the current certificate/);
  const socket = await connect(t, port, { ca: first.cert, servername: "localhost" });
  assert.equal(peerFingerprint(socket), fingerprint(first.cert));
  assert.equal(manager.credentials.cert, first.cert);
});

test("a direct-TLS listener attached to the manager gives reloaded certificates to clients without SNI", async (t) => {
  const { manager, first, install } = configuredManager(t);
  const { server, port } = directTlsServer(t, manager);
  t.after(manager.attach(server));
  const before = await connect(t, await port, { ca: first.cert, ...noSni });
  assert.equal(peerFingerprint(before), fingerprint(first.cert));

  const second = install(generateSelfSigned({ commonName: "localhost", altNames: ["conference.localhost"] }));
  assert.deepEqual(manager.reload(), { ok: true });
  const after = await connect(t, await port, { ca: second.cert, ...noSni });
  assert.equal(peerFingerprint(after), fingerprint(second.cert));
});

test("STARTTLS: a socket upgraded with serverOptions() gets the current certificate, with or without SNI", async (t) => {
  const { manager, first, install } = configuredManager(t);
  // The plain listener upgrades each connection at once, as the c2s stream does after <proceed/>.
  const server = net.createServer((raw) => {
    const secure = new tls.TLSSocket(raw, { ...manager.serverOptions(), isServer: true });
    secure.on("secure", () => secure.pipe(secure));
    secure.on("error", () => raw.destroy());
  });
  const port = await listen(t, server);
  const a = await connect(t, port, { ca: first.cert, ...noSni });
  assert.equal(peerFingerprint(a), fingerprint(first.cert));

  const second = install(generateSelfSigned({ commonName: "localhost", altNames: ["conference.localhost"] }));
  assert.deepEqual(manager.reload(), { ok: true });
  const b = await connect(t, port, { ca: second.cert, ...noSni });
  assert.equal(peerFingerprint(b), fingerprint(second.cert));
  const c = await connect(t, port, { ca: second.cert, servername: "conference.localhost" });
  assert.equal(peerFingerprint(c), fingerprint(second.cert));
  assert.equal(await echo(a, "upgraded"), "upgraded");
});

test("a TLS 1.1 client is refused by the server", async (t) => {
  const { manager, first } = configuredManager(t);
  const { server, port } = directTlsServer(t, manager);
  const serverError = once(server, "tlsClientError") as Promise<[NodeJS.ErrnoException]>;
  // SECLEVEL=0 lets the client offer TLS 1.1 at all, so the refusal is the server's.
  const client = tls.connect({
    host: "127.0.0.1",
    port: await port,
    ca: first.cert,
    servername: "localhost",
    minVersion: "TLSv1",
    maxVersion: "TLSv1.1",
    ciphers: "DEFAULT@SECLEVEL=0",
  });
  t.after(() => client.destroy());
  const [clientErr] = (await once(client, "error")) as [NodeJS.ErrnoException];
  assert.equal(clientErr.code, "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION");
  const [err] = await serverError;
  assert.equal(err.code, "ERR_SSL_UNSUPPORTED_PROTOCOL");
});

test("minVersion TLSv1.3 from config refuses a TLS 1.2 client; the default still accepts it", async (t) => {
  const strict = configuredManager(t, { minVersion: "TLSv1.3" });
  const { server, port } = directTlsServer(t, strict.manager);
  const serverError = once(server, "tlsClientError") as Promise<[NodeJS.ErrnoException]>;
  const client = tls.connect({ host: "127.0.0.1", port: await port, ca: strict.first.cert, servername: "localhost", maxVersion: "TLSv1.2" });
  t.after(() => client.destroy());
  await once(client, "error");
  assert.equal((await serverError)[0].code, "ERR_SSL_UNSUPPORTED_PROTOCOL");

  const lenient = configuredManager(t);
  const lenientPort = await directTlsServer(t, lenient.manager).port;
  const ok = await connect(t, lenientPort, { ca: lenient.first.cert, servername: "localhost", maxVersion: "TLSv1.2" });
  assert.equal(ok.getProtocol(), "TLSv1.2");
});

/** Connects, waits for the server's session ticket, and hands back the session to resume with. */
async function ticketFrom(t: TestContext, port: number, options: tls.ConnectionOptions): Promise<Buffer> {
  const socket = tls.connect({ host: "127.0.0.1", port, ...options });
  t.after(() => socket.destroy());
  const [session] = (await once(socket, "session")) as [Buffer];
  socket.end();
  return session;
}

test("session tickets let a returning client resume, until a reload rotates the ticket keys", async (t) => {
  const { manager, first, install } = configuredManager(t);
  const { server, port: listening } = directTlsServer(t, manager);
  // Tickets are sealed with the keys of the listener's own context, which attach() keeps current.
  t.after(manager.attach(server));
  const port = await listening;
  const base = { ca: first.cert, servername: "localhost" };

  const session = await ticketFrom(t, port, base);
  const resumed = await connect(t, port, { ...base, session });
  assert.equal(resumed.isSessionReused(), true);

  const again = await ticketFrom(t, port, base);
  install(first); // same certificate: only the ticket keys change
  assert.deepEqual(manager.reload(), { ok: true });
  const afterReload = await connect(t, port, { ...base, session: again });
  assert.equal(afterReload.isSessionReused(), false);
});
