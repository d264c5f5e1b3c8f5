// Pairing of the two sides of a stream, the stream cap, and the access policy of the proxy.
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { test } from "node:test";
import { Jid } from "../../../src/jid/jid.js";
import { mayUseProxy } from "../../../src/modules/proxy65/access.js";
import { streamHash } from "../../../src/services/socks5/hash.js";
import { PairingRegistry } from "../../../src/services/socks5/pairing.js";

const sock = (name: string) => ({ name }) as unknown as Socket;

test("the first connection opens a stream, the second completes it, a third is refused", () => {
  const reg = new PairingRegistry(10);
  const [a, b, c] = [sock("a"), sock("b"), sock("c")];
  assert.ok("joined" in reg.join("h", a));
  const second = reg.join("h", b);
  assert.ok("joined" in second && second.joined.first === a && second.joined.second === b);
  assert.deepEqual(reg.join("h", c), { refused: "taken" });
});

test("a side that leaves before activation frees its place; the stream goes when both left", () => {
  const reg = new PairingRegistry(10);
  const [a, b, c] = [sock("a"), sock("b"), sock("c")];
  reg.join("h", a);
  reg.join("h", b);
  reg.leave("h", a);
  assert.equal(reg.get("h")?.first, b);
  assert.ok("joined" in reg.join("h", c));
  reg.leave("h", c);
  reg.leave("h", b);
  assert.equal(reg.size, 0);
});

test("beyond maxConcurrent streams a new one is refused, a second side of an open one is not", () => {
  const reg = new PairingRegistry(1);
  reg.join("h1", sock("a"));
  assert.deepEqual(reg.join("h2", sock("b")), { refused: "full" });
  assert.ok("joined" in reg.join("h1", sock("c")));
});

test("the stream address is SHA-1 hex of SID + requester + target (XEP-0065 §5.3.2)", () => {
  // Computed independently: printf %s 'mySIDrequester@example.com/footarget@example.org/bar' | sha1sum
  assert.equal(streamHash("mySID", "requester@example.com/foo", "target@example.org/bar"), "2e45ce941bf465393585e33be9ccff347e00b430");
  assert.match(streamHash("s", "a@b/c", "d@e/f"), /^[0-9a-f]{40}$/);
});

test("access local: accounts of this domain only; any: everyone", () => {
  assert.ok(mayUseProxy(Jid.parse("romeo@localhost/x"), "localhost", "local"));
  assert.ok(!mayUseProxy(Jid.parse("tybalt@elsewhere.example/x"), "localhost", "local"));
  assert.ok(!mayUseProxy(Jid.parse("localhost"), "localhost", "local"));
  assert.ok(mayUseProxy(Jid.parse("tybalt@elsewhere.example/x"), "localhost", "any"));
});
