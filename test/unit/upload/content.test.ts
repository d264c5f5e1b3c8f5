// The pure parts of the upload service: byte-range planning (RFC 9110 §14), file-name
// sanitising, Content-Disposition (RFC 6266/8187), media types and URL → file id.
import assert from "node:assert/strict";
import { test } from "node:test";
import { contentDisposition, contentSecurityPolicy, isInlineType, normalizeMediaType, sanitizeFilename } from "../../../src/services/upload/content.js";
import { fileIdOf } from "../../../src/services/upload/http.js";
import { planRange } from "../../../src/services/upload/range.js";

test("a single byte range is planned as RFC 9110 §14.1.2 reads: closed, open-ended, suffix", () => {
  assert.deepEqual(planRange("bytes=0-99", 1000), { kind: "partial", start: 0, end: 99 });
  assert.deepEqual(planRange("bytes=900-", 1000), { kind: "partial", start: 900, end: 999 });
  assert.deepEqual(planRange("bytes=-100", 1000), { kind: "partial", start: 900, end: 999 });
  assert.deepEqual(planRange("bytes=-5000", 1000), { kind: "partial", start: 0, end: 999 }, "a suffix longer than the file is the whole file");
  assert.deepEqual(planRange("bytes=990-5000", 1000), { kind: "partial", start: 990, end: 999 }, "the last position is clamped");
});

test("ranges the file cannot satisfy are 416; malformed or multiple ranges are ignored (200)", () => {
  assert.deepEqual(planRange("bytes=1000-", 1000), { kind: "unsatisfiable" });
  assert.deepEqual(planRange("bytes=-0", 1000), { kind: "unsatisfiable" });
  assert.deepEqual(planRange(undefined, 1000), { kind: "full" });
  assert.deepEqual(planRange("bytes=5-3", 1000), { kind: "full" });
  assert.deepEqual(planRange("bytes=0-1,5-6", 1000), { kind: "full" });
  assert.deepEqual(planRange("items=0-1", 1000), { kind: "full" });
  assert.deepEqual(planRange("bytes=-", 1000), { kind: "full" });
});

test("file names lose directories, control and bidi-override characters, leading dots, and excess length", () => {
  assert.equal(sanitizeFilename("../../etc/passwd"), "passwd");
  assert.equal(sanitizeFilename("C:\\Users\\me\\photo.jpg"), "photo.jpg");
  assert.equal(sanitizeFilename("evil\u202Egpj.exe"), "evilgpj.exe");
  assert.equal(sanitizeFilename("a\r\nb.txt"), "ab.txt");
  assert.equal(sanitizeFilename(".htaccess"), "htaccess");
  assert.equal(sanitizeFilename("../"), "file");
  const long = sanitizeFilename("é".repeat(300));
  assert.ok(Buffer.byteLength(long) <= 255);
  assert.equal(long, "é".repeat(127));
});

test("Content-Disposition has an ASCII fallback and the exact UTF-8 name", () => {
  assert.equal(contentDisposition('say "hi".txt', false), `attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`);
  assert.equal(contentDisposition("Grüße.pdf", true), `inline; filename="Gr__e.pdf"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.pdf`);
});

test("media types are validated and normalised; active types are sandboxed and never inline", () => {
  assert.equal(normalizeMediaType(" Image/JPEG "), "image/jpeg");
  assert.equal(normalizeMediaType("text/plain;charset=UTF-8"), "text/plain; charset=UTF-8");
  assert.equal(normalizeMediaType("not a type"), undefined);
  assert.equal(normalizeMediaType("text/html\r\nX-Evil: 1"), undefined);
  assert.equal(isInlineType("image/png"), true);
  assert.equal(isInlineType("image/svg+xml"), false);
  assert.equal(isInlineType("text/html"), false);
  assert.equal(isInlineType("application/zip"), false);
  assert.match(contentSecurityPolicy("text/html; charset=utf-8"), /sandbox/);
  assert.match(contentSecurityPolicy("image/svg+xml"), /sandbox/);
  assert.doesNotMatch(contentSecurityPolicy("image/png"), /sandbox/);
});

test("only a 32-hex-digit id in the path is ever looked up", () => {
  const id = "0123456789abcdef0123456789abcdef";
  assert.equal(fileIdOf(`/${id}/photo.jpg`), id);
  assert.equal(fileIdOf(`/share/${id}/photo.jpg`), id);
  assert.equal(fileIdOf(`/${id}`), id);
  assert.equal(fileIdOf(`/${id}/../../etc/passwd`), undefined);
  assert.equal(fileIdOf("/../../etc/passwd"), undefined);
  assert.equal(fileIdOf(`/${id.toUpperCase()}/x`), undefined);
});
