// Generated certificates are checked by independent parsers (Node's X509Certificate, and the
// openssl binary when the machine has one), never by reading our own DER back, so an encoder
// mistake cannot hide behind a matching decoder mistake.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { test } from "node:test";
import { generateSelfSigned, ipAddressOctets, normalizeNames, type KeyType } from "../../../src/tls/selfsigned.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;

function opensslText(pem: string): string {
  const out = spawnSync("openssl", ["x509", "-noout", "-text"], { input: pem, encoding: "utf8" });
  assert.equal(out.status, 0, `openssl could not parse the certificate: ${out.stderr}`);
  return out.stdout;
}

/** RFC 5280 key identifier method (1), computed from the key itself rather than from the DER. */
function expectedKeyId(pem: string, keyType: KeyType): string {
  const pub = createPublicKey(pem);
  const bits =
    keyType === "rsa"
      ? pub.export({ type: "pkcs1", format: "der" })
      : (() => {
          const jwk = pub.export({ format: "jwk" });
          return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
        })();
  return createHash("sha1").update(bits).digest("hex").toUpperCase().match(/../g)!.join(":");
}

for (const keyType of ["ec", "rsa"] as const) {
  const names = { commonName: "localhost", altNames: ["conference.localhost", "pubsub.localhost", "127.0.0.1", "::1"] };

  test(`${keyType}: the certificate is self-signed and belongs to the returned key`, () => {
    const { cert, key } = generateSelfSigned({ ...names, keyType });
    const x509 = new X509Certificate(cert);
    assert.ok(x509.verify(x509.publicKey), "signature verifies with the certificate's own key");
    assert.equal(x509.issuer, x509.subject);
    assert.equal(x509.subject, "CN=localhost");
    assert.match(key, /^-----BEGIN PRIVATE KEY-----\n/, "PKCS#8 PEM");
    const privateKey = createPrivateKey(key);
    assert.ok(x509.checkPrivateKey(privateKey));
    if (keyType === "ec") assert.equal(x509.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
    else assert.equal(x509.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  });

  test(`${keyType}: subjectAltName lists every name, with IP literals as iPAddress`, () => {
    const x509 = new X509Certificate(generateSelfSigned({ ...names, keyType }).cert);
    assert.equal(
      x509.subjectAltName,
      "DNS:localhost, DNS:conference.localhost, DNS:pubsub.localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
    for (const host of ["localhost", "conference.localhost", "pubsub.localhost"]) assert.equal(x509.checkHost(host), host);
    assert.equal(x509.checkIP("127.0.0.1"), "127.0.0.1");
    assert.equal(x509.checkIP("::1"), "::1");
    assert.equal(x509.checkHost("upload.localhost"), undefined);
  });

  test(`${keyType}: a server certificate that is not a CA, usable for serverAuth and clientAuth`, () => {
    const x509 = new X509Certificate(generateSelfSigned({ ...names, keyType }).cert);
    assert.equal(x509.ca, false);
    // Node names the extendedKeyUsage OIDs "keyUsage".
    assert.deepEqual(x509.keyUsage, ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
  });

  test(`${keyType}: openssl parses it and shows the expected extensions`, { skip: !hasOpenssl && "no openssl binary" }, () => {
    const { cert } = generateSelfSigned({ ...names, keyType });
    const text = opensslText(cert);
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, keyType === "ec" ? /Signature Algorithm: ecdsa-with-SHA256/ : /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
    assert.match(
      text,
      keyType === "ec"
        ? /X509v3 Key Usage: critical\s+Digital Signature\n/
        : /X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\n/,
    );
    assert.match(text, /X509v3 Extended Key Usage: \s+TLS Web Server Authentication, TLS Web Client Authentication/);
    const skid = /X509v3 Subject Key Identifier: \s+([0-9A-F:]+)/.exec(text)?.[1];
    assert.equal(skid, expectedKeyId(cert, keyType));
    const akid = /X509v3 Authority Key Identifier: \s+(?:keyid:)?([0-9A-F:]+)/.exec(text)?.[1];
    assert.equal(akid, skid, "self-signed: the authority is the subject itself");
  });
}

test("validity starts an hour before now (clock skew) and lasts 3650 days by default", () => {
  const now = new Date("2030-06-15T12:00:00Z");
  const x509 = new X509Certificate(generateSelfSigned({ commonName: "localhost", altNames: [], now }).cert);
  assert.equal(new Date(x509.validFrom).getTime(), now.getTime() - HOUR_MS);
  assert.equal(new Date(x509.validTo).getTime(), now.getTime() + 3650 * DAY_MS);
});

test("days sets the lifetime and rejects non-positive values", () => {
  const now = new Date("2030-06-15T12:00:00Z");
  const x509 = new X509Certificate(generateSelfSigned({ commonName: "localhost", altNames: [], days: 30, now }).cert);
  assert.equal(new Date(x509.validTo).getTime(), now.getTime() + 30 * DAY_MS);
  assert.throws(() => generateSelfSigned({ commonName: "localhost", altNames: [], days: 0 }), RangeError);
});

test("dates from 2050 on are GeneralizedTime and still read back correctly", () => {
  const now = new Date("2045-03-01T00:00:00Z");
  const { cert } = generateSelfSigned({ commonName: "localhost", altNames: [], now, days: 3650 });
  const x509 = new X509Certificate(cert);
  assert.equal(new Date(x509.validFrom).toISOString(), "2045-02-28T23:00:00.000Z");
  assert.equal(new Date(x509.validTo).toISOString(), "2055-02-27T00:00:00.000Z");
  if (hasOpenssl) assert.match(opensslText(cert), /Not After : Feb 27 00:00:00 2055 GMT/);
});

test("serial numbers are random, positive and 16 octets long", () => {
  const serials = new Set<string>();
  for (let i = 0; i < 8; i++) {
    const serial = new X509Certificate(generateSelfSigned({ commonName: "localhost", altNames: [] }).cert).serialNumber;
    assert.match(serial, /^[4-7][0-9A-F]{31}$/, "top bit clear, no padding octet");
    serials.add(serial);
  }
  assert.equal(serials.size, 8);
});

test("names are lower-cased, IDNs become A-labels, duplicates go, invalid names are refused", () => {
  assert.deepEqual(normalizeNames(["Chat.Example.", "chat.example", "bücher.example", "*.Example.org", "[::1]"]), [
    "chat.example",
    "xn--bcher-kva.example",
    "*.example.org",
    "::1",
  ]);
  for (const bad of ["", "a b", "host/path", "-lead.example", "a..b", "x:5222", "*"]) {
    assert.throws(() => normalizeNames([bad]), RangeError, JSON.stringify(bad));
  }
  assert.throws(() => generateSelfSigned({ commonName: "localhost", altNames: ["not a host"] }), RangeError);
});

test("iPAddress octets: 4 for IPv4, 16 for IPv6 with :: expanded and an IPv4 tail folded in", () => {
  assert.equal(ipAddressOctets("192.0.2.1").toString("hex"), "c0000201");
  assert.equal(ipAddressOctets("2001:db8::1").toString("hex"), "20010db8000000000000000000000001");
  assert.equal(ipAddressOctets("::").toString("hex"), "0".repeat(32));
  assert.equal(ipAddressOctets("::ffff:192.0.2.1").toString("hex"), "00000000000000000000ffffc0000201");
  assert.equal(ipAddressOctets("fe80:1:2:3:4:5:6:7").toString("hex"), "fe800001000200030004000500060007");
});
