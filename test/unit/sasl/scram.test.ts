import { test } from "node:test";
import assert from "node:assert/strict";
import { ScramMechanism } from "../../../src/sasl/scram.js";
import type { SaslStep } from "../../../src/sasl/types.js";
import { context, FixedProvider, runScram } from "./fixtures.js";
import { ScramClient } from "./scram-client.js";

const provider = new FixedProvider({ juliet: "r0meo!", "a,b=c": "odd name" });
const sha256 = new ScramMechanism("SHA-256");
const sha1 = new ScramMechanism("SHA-1");
const cbData = Buffer.from("fake tls-exporter output, 32 by");

function condition(step: SaslStep): string | undefined {
  return step.kind === "failure" ? step.condition : undefined;
}

function challengeText(step: SaslStep): string {
  assert.equal(step.kind, "challenge");
  return step.kind === "challenge" ? step.data.toString() : "";
}

for (const [mech, hash] of [[sha256, "SHA-256"], [sha1, "SHA-1"]] as const) {
  test(`${mech.name}: a full exchange with an independent client succeeds and the server proves itself`, async () => {
    const client = new ScramClient(hash, { username: "juliet", password: "r0meo!" });
    const { last } = await runScram(mech, context(provider), client);
    assert.equal(last.kind, "success");
    assert.equal(last.kind === "success" && last.username, "juliet");
    assert.ok(last.kind === "success" && client.verifiesServer(last.data));
  });

  test(`${mech.name}: a wrong password is refused with not-authorized`, async () => {
    const client = new ScramClient(hash, { username: "juliet", password: "tybalt" });
    const { last } = await runScram(mech, context(provider), client);
    assert.equal(condition(last), "not-authorized");
    assert.equal(last.kind === "failure" && last.username, "juliet");
  });
}

test("the server nonce extends the client's with 24 random bytes in base64", async () => {
  const client = new ScramClient("SHA-256", { username: "juliet", password: "x", nonce: "clientnonce" });
  const text = challengeText(await sha256.start(context(provider)).step(client.first()));
  const nonce = /^r=([^,]+),/.exec(text)?.[1] ?? "";
  assert.ok(nonce.startsWith("clientnonce"));
  assert.equal(Buffer.from(nonce.slice("clientnonce".length), "base64").length, 24);
});

test("an unknown user gets a normal-looking, stable challenge and then the same failure as a wrong password", async () => {
  const challenge = async (user: string) => challengeText(await sha256.start(context(provider)).step(new ScramClient("SHA-256", { username: user, password: "x", nonce: "n0nce" }).first()));
  const known = await challenge("juliet");
  const unknown = await challenge("nobody");
  const shape = /^r=n0nce[A-Za-z0-9+/=]+,s=([A-Za-z0-9+/=]+),i=(\d+)$/;
  const [, knownSalt, knownIterations] = shape.exec(known) ?? [];
  const [, fakeSalt, fakeIterations] = shape.exec(unknown) ?? [];
  assert.ok(fakeSalt !== undefined && knownSalt !== undefined);
  // Same salt size and iteration count as a real account, and the same salt on every attempt,
  // as a real account's would be — otherwise two probes would reveal that the account is fake.
  assert.equal(Buffer.from(fakeSalt, "base64").length, Buffer.from(knownSalt, "base64").length);
  assert.equal(fakeIterations, knownIterations);
  assert.equal(/s=([^,]+)/.exec(await challenge("nobody"))?.[1], fakeSalt);
  assert.notEqual(/s=([^,]+)/.exec(await challenge("someone-else"))?.[1], fakeSalt);

  const { last: unknownLast } = await runScram(sha256, context(provider), new ScramClient("SHA-256", { username: "nobody", password: "r0meo!" }));
  const { last: wrongLast } = await runScram(sha256, context(provider), new ScramClient("SHA-256", { username: "juliet", password: "nope" }));
  assert.deepEqual({ ...unknownLast, username: undefined }, { ...wrongLast, username: undefined });
  assert.equal(condition(unknownLast), "not-authorized");
});

test("usernames are =2C/=3D-decoded and prepared before lookup", async () => {
  const odd = await runScram(sha256, context(provider), new ScramClient("SHA-256", { username: "a,b=c", password: "odd name" }));
  assert.equal(odd.last.kind === "success" && odd.last.username, "a,b=c");
  // Localparts are case-insensitive: "Juliet" logs into juliet's account and is reported as such.
  const upper = await runScram(sha256, context(provider), new ScramClient("SHA-256", { username: "Juliet", password: "r0meo!" }));
  assert.equal(upper.last.kind === "success" && upper.last.username, "juliet");
});

test("an authzid naming the user (as username or bare JID on this host) is accepted", async () => {
  for (const authzid of ["juliet", "juliet@capulet.example"]) {
    const client = new ScramClient("SHA-256", { username: "juliet", password: "r0meo!", gs2: `n,a=${authzid},` });
    const { last } = await runScram(sha256, context(provider, { domain: "capulet.example" }), client);
    assert.equal(last.kind, "success", authzid);
  }
});

test("an authzid naming someone else is refused with invalid-authzid", async () => {
  for (const authzid of ["romeo", "juliet@montague.example", "juliet@capulet.example/balcony"]) {
    const client = new ScramClient("SHA-256", { username: "juliet", password: "r0meo!", gs2: `n,a=${authzid},` });
    const step = await sha256.start(context(provider, { domain: "capulet.example" })).step(client.first());
    assert.equal(condition(step), "invalid-authzid", authzid);
  }
});

test("malformed client-first messages fail with malformed-request and never throw", async () => {
  const cases = [
    "x,,n=juliet,r=abc", // unknown gs2 flag
    "n,n=juliet,r=abc", // gs2 header missing its second comma
    "n,b=juliet,n=juliet,r=abc", // authzid not a=
    "n,a=,n=juliet,r=abc", // empty authzid
    "p=,,n=juliet,r=abc", // empty cb-name
    "n,,m=ext,n=juliet,r=abc", // reserved mandatory extension
    "n,,n=jul=41iet,r=abc", // "=" not followed by 2C or 3D
    "n,,n=juliet=,r=abc", // trailing lone "="
    "n,,n=,r=abc", // empty username
    "n,,r=abc,n=juliet", // attributes out of order
    "n,,n=juliet", // no nonce
    "n,,n=juliet,r=", // empty nonce
    "n,,n=juliet,r=a b", // nonce with a non-printable character
    "n,,n=juliet,r=abc,", // empty trailing attribute
    "n,,n=juliet,r=abc,junk", // extension without "x="
    "garbage",
  ];
  for (const message of cases) {
    const step = await sha256.start(context(provider)).step(Buffer.from(message));
    assert.equal(condition(step), "malformed-request", message);
  }
  const notUtf8 = await sha256.start(context(provider)).step(Buffer.from([0x6e, 0x2c, 0x2c, 0xff, 0xfe]));
  assert.equal(condition(notUtf8), "malformed-request");
});

test("unknown optional extensions in client-first are ignored", async () => {
  const step = await sha256.start(context(provider)).step(Buffer.from("n,,n=juliet,r=abc,x=future"));
  assert.equal(step.kind, "challenge");
});

test("malformed client-final messages fail with malformed-request or incorrect-encoding", async () => {
  const cases: Array<(nonce: string) => string> = [
    (n) => `c=biws,r=${n}`, // no proof
    (n) => `c=biws,r=${n},p=`, // empty proof
    (n) => `r=${n},c=biws,p=AAAA`, // attributes out of order
    (n) => `c=biws,r=${n},p=AAAA,x=after`, // something after the proof
    (n) => `c=biws,r=${n}x,p=${Buffer.alloc(32).toString("base64")}`, // nonce not ours
    (n) => `c=biws,r=${n},p=${Buffer.alloc(20).toString("base64")}`, // proof of SHA-1 size on SHA-256
    () => "",
  ];
  const encoding: Array<(nonce: string) => string> = [
    (n) => `c=bi*s,r=${n},p=AAAA`, // c= not base64
    (n) => `c=biws,r=${n},p=AAA`, // p= base64 without padding
  ];
  const run = async (make: (nonce: string) => string) => {
    const session = sha256.start(context(provider));
    const first = challengeText(await session.step(Buffer.from("n,,n=juliet,r=abc")));
    const nonce = /^r=([^,]+)/.exec(first)?.[1] ?? "";
    return session.step(Buffer.from(make(nonce)));
  };
  for (const make of cases) assert.equal(condition(await run(make)), "malformed-request", make("N"));
  for (const make of encoding) assert.equal(condition(await run(make)), "incorrect-encoding", make("N"));
});

test("a session answers one exchange only: messages after the outcome fail", async () => {
  const client = new ScramClient("SHA-256", { username: "juliet", password: "r0meo!" });
  const session = sha256.start(context(provider));
  const first = await session.step(client.first());
  assert.ok(first.kind === "challenge");
  const finalMessage = client.final(first.data);
  assert.equal((await session.step(finalMessage)).kind, "success");
  assert.equal(condition(await session.step(finalMessage)), "malformed-request");
});

test("without an initial response the server sends one empty challenge, then takes client-first", async () => {
  const client = new ScramClient("SHA-256", { username: "juliet", password: "r0meo!" });
  const session = sha256.start(context(provider));
  const empty = await session.step(Buffer.alloc(0));
  assert.deepEqual(empty, { kind: "challenge", data: Buffer.alloc(0) });
  const first = await session.step(client.first());
  assert.ok(first.kind === "challenge");
  assert.equal((await session.step(client.final(first.data))).kind, "success");

  const twice = sha256.start(context(provider));
  await twice.step(Buffer.alloc(0));
  assert.equal(condition(await twice.step(Buffer.alloc(0))), "malformed-request");
});

test("a provider that throws yields temporary-auth-failure, not an exception", async () => {
  const broken = new FixedProvider({ juliet: "r0meo!" });
  broken.failWith = new Error("database is locked");
  const step = await sha256.start(context(broken)).step(new ScramClient("SHA-256", { username: "juliet", password: "r0meo!" }).first());
  assert.equal(condition(step), "temporary-auth-failure");
});

test("corrupt stored credentials yield temporary-auth-failure", async () => {
  const corrupt = new FixedProvider({ juliet: "r0meo!" });
  corrupt.getScramCredentials = () => ({ salt: "c2FsdA==", iterations: 0, storedKey: "", serverKey: "" });
  const step = await sha256.start(context(corrupt)).step(new ScramClient("SHA-256", { username: "juliet", password: "r0meo!" }).first());
  assert.equal(condition(step), "temporary-auth-failure");
});

test("channel binding: SCRAM-SHA-256-PLUS succeeds when c= carries the server's binding data", async () => {
  const plus = new ScramMechanism("SHA-256", true);
  const ctx = context(provider, { channelBindings: { "tls-exporter": cbData } });
  const client = new ScramClient("SHA-256", { username: "juliet", password: "r0meo!", gs2: "p=tls-exporter,,", cbData });
  const { last } = await runScram(plus, ctx, client);
  assert.equal(last.kind, "success");
  assert.ok(last.kind === "success" && client.verifiesServer(last.data));
});

test("channel binding: different binding data (a man in the middle's TLS session) is refused", async () => {
  const plus = new ScramMechanism("SHA-256", true);
  const ctx = context(provider, { channelBindings: { "tls-exporter": cbData } });
  const other = Buffer.from("exporter output of another TLS!");
  const { last } = await runScram(plus, ctx, new ScramClient("SHA-256", { username: "juliet", password: "r0meo!", gs2: "p=tls-exporter,,", cbData: other }));
  assert.equal(condition(last), "not-authorized");
});

test("channel binding: a c= that omits the authzid or changes the flag is refused", async () => {
  // c= must repeat the gs2 header exactly; the client below binds a header it did not send.
  const session = sha256.start(context(provider));
  const client = new ScramClient("SHA-256", { username: "juliet", password: "r0meo!", gs2: "n,a=juliet," });
  const first = await session.step(client.first());
  assert.ok(first.kind === "challenge");
  const final = client.final(first.data).toString().replace(/^c=[^,]+/, `c=${Buffer.from("n,,").toString("base64")}`);
  assert.equal(condition(await session.step(Buffer.from(final))), "not-authorized");
});

test("channel binding: a binding type the server has no data for is refused", async () => {
  const plus = new ScramMechanism("SHA-256", true);
  const ctx = context(provider, { channelBindings: { "tls-exporter": cbData } });
  const step = await plus.start(ctx).step(new ScramClient("SHA-256", { username: "juliet", password: "r0meo!", gs2: "p=tls-unique,," }).first());
  assert.equal(condition(step), "not-authorized");
});

test("channel binding: a -PLUS mechanism without p= and p= on a plain mechanism are malformed", async () => {
  const plus = new ScramMechanism("SHA-256", true);
  const ctx = context(provider, { channelBindings: { "tls-exporter": cbData } });
  const noBinding = await plus.start(ctx).step(new ScramClient("SHA-256", { username: "juliet", password: "r0meo!", gs2: "n,," }).first());
  assert.equal(condition(noBinding), "malformed-request");
  const bindingOnPlain = await sha256.start(ctx).step(new ScramClient("SHA-256", { username: "juliet", password: "r0meo!", gs2: "p=tls-exporter,," }).first());
  assert.equal(condition(bindingOnPlain), "malformed-request");
});

test("downgrade: a client saying y (it could bind) while -PLUS was offered is refused", async () => {
  const ctx = context(provider, { channelBindings: { "tls-exporter": cbData } });
  const step = await sha256.start(ctx).step(new ScramClient("SHA-256", { username: "juliet", password: "r0meo!", gs2: "y,," }).first());
  assert.equal(condition(step), "not-authorized");
});

test("y is accepted when the server really offers no -PLUS mechanism", async () => {
  const y = () => new ScramClient("SHA-256", { username: "juliet", password: "r0meo!", gs2: "y,," });
  // No TLS, hence no binding data.
  assert.equal((await runScram(sha256, context(provider, { secure: false }), y())).last.kind, "success");
  // Binding data exists but the server chose not to advertise -PLUS.
  const ctx = context(provider, { channelBindings: { "tls-exporter": cbData }, plusAdvertised: false });
  assert.equal((await runScram(sha256, ctx, y())).last.kind, "success");
});
