// RFC 6125 identity matching, on certificates minted for the test (DNS-ID, XmppAddr, SRV-ID, CN).
import assert from "node:assert/strict";
import { test } from "node:test";
import { coverage, dnsIdMatches } from "../../../src/doctor/cert/identity.js";
import { decodeOid, subjectAltNames } from "../../../src/doctor/cert/x509.js";
import { oid } from "../../../src/tls/der.js";
import { issue } from "./pki.js";

test("a wildcard covers exactly one label under its parent: not the parent itself, not two labels deep", () => {
  assert.equal(dnsIdMatches("*.example.com", "conference.example.com"), true);
  assert.equal(dnsIdMatches("*.example.com", "example.com"), false);
  assert.equal(dnsIdMatches("*.example.com", "a.b.example.com"), false);
  assert.equal(dnsIdMatches("*.Example.COM.", "Upload.example.com"), true);
});

test("wildcards are only the whole left-most label and never directly under a top-level domain", () => {
  assert.equal(dnsIdMatches("*.com", "example.com"), false);
  assert.equal(dnsIdMatches("x*.example.com", "xmpp.example.com"), false);
  assert.equal(dnsIdMatches("conference.*.com", "conference.example.com"), false);
  assert.equal(dnsIdMatches("example.com", "example.com"), true);
});

test("an IDN is compared in its A-label form", () => {
  assert.equal(dnsIdMatches("xn--bcher-kva.example", "bücher.example"), true);
});

test("XmppAddr and SRV-ID otherNames are read from the DER and count as identities (RFC 6120 13.7.1)", () => {
  const { cert } = issue({ commonName: "ignored", xmppAddr: ["example.test"], srvNames: ["_xmpp-server.conference.example.test"] });
  assert.deepEqual(subjectAltNames(cert), [
    { type: "xmppAddr", value: "example.test" },
    { type: "srv", value: "_xmpp-server.conference.example.test" },
  ]);
  assert.equal(coverage(cert, "example.test").by, "xmppAddr:example.test");
  assert.equal(coverage(cert, "conference.example.test").by, "SRV:_xmpp-server.conference.example.test");
  assert.equal(coverage(cert, "pubsub.example.test").by, undefined);
});

test("the subject CN counts only when the certificate has no identifier in subjectAltName, and is marked as such", () => {
  const bare = issue({ commonName: "example.test" });
  assert.deepEqual(coverage(bare.cert, "example.test"), { name: "example.test", by: "CN:example.test", commonNameOnly: true });
  const withSan = issue({ commonName: "example.test", dns: ["other.test"] });
  assert.equal(coverage(withSan.cert, "example.test").by, undefined);
});

test("OIDs decode back to their dotted form, large arcs included", () => {
  for (const dotted of ["1.3.6.1.5.5.7.8.5", "2.5.29.17", "1.2.840.10045.4.3.2", "2.25.329800735698586629295641978511506172918"]) {
    const der = oid(dotted);
    assert.equal(decodeOid(der.subarray(2)), dotted);
  }
});
