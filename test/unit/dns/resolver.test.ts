// The resolver against small in-process DNS servers on loopback ephemeral ports, each scripted
// to misbehave in one way a real network does: truncation, stray replies, silence, SERVFAIL.
import assert from "node:assert/strict";
import dgram from "node:dgram";
import net, { type AddressInfo } from "node:net";
import { test, type TestContext } from "node:test";
import dnsPacket, { type Answer, type Packet } from "dns-packet";
import type { HostPort } from "../../../src/dns/address.js";
import { Resolver, ResolverError } from "../../../src/dns/resolver.js";

type Responder = (query: Packet) => Packet | Packet[] | undefined;

function reply(query: Packet, answers: Answer[], extra: Partial<Packet> & { rcode?: string } = {}): Packet {
  return { type: "response", id: query.id ?? 0, flags: dnsPacket.RECURSION_AVAILABLE, questions: query.questions ?? [], answers, ...extra };
}

/** A UDP DNS server on 127.0.0.1 that sends what `respond` returns (several packets, or none). */
async function udpServer(t: TestContext, respond: Responder, port = 0): Promise<HostPort & { queries: number }> {
  const socket = dgram.createSocket("udp4");
  const state = { host: "127.0.0.1", port: 0, queries: 0 };
  socket.on("message", (msg, rinfo) => {
    state.queries++;
    const out = respond(dnsPacket.decode(msg));
    for (const p of out === undefined ? [] : Array.isArray(out) ? out : [out]) socket.send(encode(p), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, "127.0.0.1", () => resolve());
  });
  state.port = socket.address().port;
  t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return state;
}

/** dns-packet takes the response code in the flags' low bits. */
function encode(p: Packet & { rcode?: string }): Buffer {
  const codes: Record<string, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };
  return dnsPacket.encode({ ...p, flags: (p.flags ?? 0) | (codes[p.rcode ?? "NOERROR"] ?? 0) });
}

/**
 * A TCP DNS server and a UDP one on the same port, as real servers are. TCP is bound first on a
 * free port and UDP then takes the same number (retried when that UDP port is taken), so that
 * the resolver's TCP retry cannot reach some other test's server.
 */
async function udpAndTcpServer(t: TestContext, udp: Responder, tcp: Responder): Promise<HostPort & { queries: number }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const server = net.createServer((conn) => {
      let buf = Buffer.alloc(0);
      conn.on("data", (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
        const out = tcp(dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
        if (out && !Array.isArray(out)) {
          const body = encode(out);
          const len = Buffer.alloc(2);
          len.writeUInt16BE(body.length);
          conn.end(Buffer.concat([len, body]));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    try {
      return await udpServer(t, udp, (server.address() as AddressInfo).port);
    } catch {
      // That UDP port is in use: another pair.
    }
  }
  throw new Error("no port free for both TCP and UDP");
}

/** A loopback port nobody listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const { port } = socket.address() as AddressInfo;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

const srvAnswer = (name: string, target: string, port = 5222): Answer => ({ type: "SRV", name, ttl: 60, class: "IN", data: { priority: 0, weight: 5, port, target } });

test("SRV records come back with their fields, targets without the trailing dot", async (t) => {
  const server = await udpServer(t, (q) => reply(q, [srvAnswer("_xmpp-client._tcp.example.test", "xmpp.example.test")]));
  const result = await new Resolver({ servers: [server] }).srv("_xmpp-client._tcp.example.test");
  assert.equal(result.rcode, "NOERROR");
  assert.deepEqual(result.records, [{ priority: 0, weight: 5, port: 5222, target: "xmpp.example.test" }]);
});

test("a truncated UDP answer is asked again over TCP, and the TCP answer is the one used", async (t) => {
  const name = "_xmpp-client._tcp.big.test";
  const server = await udpAndTcpServer(
    t,
    (q) => reply(q, [], { flags: dnsPacket.TRUNCATED_RESPONSE }),
    (q) => reply(q, [srvAnswer(name, "a.big.test"), srvAnswer(name, "b.big.test")]),
  );
  const response = await new Resolver({ servers: [server] }).query(name, "SRV");
  assert.equal(response.transport, "tcp");
  assert.equal(response.answers.length, 2);
});

test("a reply with another id (a late or forged packet) is ignored; the real reply is taken", async (t) => {
  const server = await udpServer(t, (q) => [
    { ...reply(q, [{ type: "A", name: "x.test", ttl: 60, class: "IN", data: "10.6.6.6" }]), id: ((q.id ?? 0) + 1) & 0xffff },
    reply(q, [{ type: "A", name: "x.test", ttl: 60, class: "IN", data: "192.0.2.1" }]),
  ]);
  const found = await new Resolver({ servers: [server] }).addresses("x.test");
  assert.deepEqual(found.v4, ["192.0.2.1"]);
});

test("a server nobody listens on is reported as not answering, naming it, not as an empty answer", async () => {
  const port = await deadPort();
  const resolver = new Resolver({ servers: [{ host: "127.0.0.1", port }], timeoutMs: 500, attempts: 2 });
  await assert.rejects(resolver.srv("_xmpp-client._tcp.example.test"), (err: unknown) => {
    assert.ok(err instanceof ResolverError);
    assert.equal(err.kind, "no-answer");
    assert.equal(err.message, `resolver 127.0.0.1:${port} did not answer`);
    return true;
  });
});

test("a silent server is asked once per attempt, then reported as not answering", async (t) => {
  const server = await udpServer(t, () => undefined);
  const resolver = new Resolver({ servers: [server], timeoutMs: 100, attempts: 3 });
  await assert.rejects(resolver.query("example.test", "SOA"), (err: unknown) => err instanceof ResolverError && /no reply within 100 ms/.test(err.reason));
  assert.equal(server.queries, 3);
});

test("SERVFAIL from the first server sends the question to the next one", async (t) => {
  const broken = await udpServer(t, (q) => ({ ...reply(q, []), rcode: "SERVFAIL" }) as Packet);
  const good = await udpServer(t, (q) => reply(q, [srvAnswer("_xmpp-client._tcp.example.test", "xmpp.example.test")]));
  const result = await new Resolver({ servers: [broken, good] }).srv("_xmpp-client._tcp.example.test");
  assert.equal(result.records.length, 1);
});

test("when every server answers SERVFAIL, the lookup fails with that code instead of pretending there are no records", async (t) => {
  const broken = await udpServer(t, (q) => ({ ...reply(q, []), rcode: "SERVFAIL" }) as Packet);
  await assert.rejects(new Resolver({ servers: [broken] }).srv("_xmpp-client._tcp.example.test"), (err: unknown) => {
    assert.ok(err instanceof ResolverError);
    assert.equal(err.kind, "error-rcode");
    assert.match(err.message, /answered SERVFAIL for SRV _xmpp-client\._tcp\.example\.test/);
    return true;
  });
});

test("addresses follow the CNAME chain the server reports and name the canonical host", async (t) => {
  const server = await udpServer(t, (q) => {
    const type = q.questions?.[0]?.type;
    const alias: Answer = { type: "CNAME", name: "alias.test", ttl: 60, class: "IN", data: "real.test" };
    if (type === "A") return reply(q, [alias, { type: "A", name: "real.test", ttl: 60, class: "IN", data: "192.0.2.7" }]);
    return reply(q, [alias]);
  });
  const found = await new Resolver({ servers: [server] }).addresses("alias.test");
  assert.deepEqual(found.cnames, ["real.test"]);
  assert.equal(found.canonical, "real.test");
  assert.deepEqual(found.v4, ["192.0.2.7"]);
  assert.deepEqual(found.v6, []);
});
