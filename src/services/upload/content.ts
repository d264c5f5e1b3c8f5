// What is safe to say about an uploaded file over HTTP: its name (sanitised once at the slot
// request, quoted per RFC 6266 when served), its media type (validated, lower-cased), whether a
// browser may show it inline, and a Content-Security-Policy that keeps a hostile upload (HTML,
// SVG with script) from running on the upload origin.

/** Longest file name kept, in UTF-8 bytes (common file-system limit). */
const MAX_NAME_BYTES = 255;

/**
 * The client's file name made harmless: no directories (the last path segment), no control or
 * bidi-override characters, no leading dots, at most 255 bytes (cut at a character boundary).
 * "file" when nothing is left.
 */
export function sanitizeFilename(raw: string): string {
  const last = raw.split(/[/\\]/).pop() ?? "";
  // C0/C1 controls, DEL, and the bidi overrides that make "gpj.exe" read as "exe.jpg".
  let name = last.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "").trim();
  name = name.replace(/^\.+/, "");
  while (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES) name = [...name].slice(0, -1).join("");
  return name === "" ? "file" : name;
}

// RFC 9110 §8.3.1: type "/" subtype, both tokens; parameters follow ";".
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\\\r\\n]*"))*$`);

/** The media type normalised (lower-case type/subtype, trimmed), or undefined when it is not one. */
export function normalizeMediaType(raw: string): string | undefined {
  const value = raw.trim();
  if (value.length > 255 || !MEDIA_TYPE.test(value)) return undefined;
  const [essence, ...params] = value.split(";");
  return [essence!.trim().toLowerCase(), ...params.map((p) => p.trim())].join("; ");
}

/** type/subtype without parameters. */
export function mediaEssence(type: string): string {
  return type.split(";")[0]!.trim().toLowerCase();
}

export const DEFAULT_MEDIA_TYPE = "application/octet-stream";

/** Types a browser renders as a document that could run script: served with a sandbox. */
function isActiveType(essence: string): boolean {
  return /html|xml|svg|javascript|ecmascript/.test(essence);
}

/** Types shown inline when opened (media and plain text); everything else downloads. */
export function isInlineType(type: string): boolean {
  const essence = mediaEssence(type);
  if (isActiveType(essence)) return false;
  return /^(image|audio|video)\//.test(essence) || essence === "text/plain" || essence === "application/pdf";
}

/** Content-Security-Policy for a served file: no subresources, no framing, and no script for active types. */
export function contentSecurityPolicy(type: string): string {
  const base = "default-src 'none'; frame-ancestors 'none'";
  return isActiveType(mediaEssence(type)) ? `${base}; sandbox` : base;
}

/**
 * RFC 6266 Content-Disposition: `filename` with an ASCII fallback (quotes, backslashes and
 * non-ASCII replaced) and `filename*` with the exact UTF-8 name (RFC 8187 encoding).
 */
export function contentDisposition(filename: string, inline: boolean): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? "inline" : "attachment"}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
