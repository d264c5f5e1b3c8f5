// Strict parsers for the two SCRAM client messages (RFC 5802 §7 grammar). They return values,
// never throw: every deviation from the grammar becomes a failure the mechanism can send as is.
import type { SaslFailureCondition } from "./types.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; condition: SaslFailureCondition; text: string };

export interface Gs2Header {
  /** The header exactly as the client sent it, trailing comma included (it is bound by c=). */
  raw: string;
  flag: "n" | "y" | "p";
  /** Only with flag "p". */
  cbName?: string;
  /** Decoded authzid, when the client sent one. */
  authzid?: string;
}

export interface ClientFirst {
  gs2: Gs2Header;
  /** client-first-message-bare, part of AuthMessage. */
  bare: string;
  /** Decoded (=2C/=3D) but not yet prepared. */
  username: string;
  nonce: string;
}

export interface ClientFinal {
  /** client-final-message-without-proof, part of AuthMessage. */
  withoutProof: string;
  channelBinding: Buffer;
  nonce: string;
  proof: Buffer;
}

const CB_NAME = /^[A-Za-z0-9.-]+$/;
/** printable = %x21-2B / %x2D-7E: visible ASCII except ",". */
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;
const EXTENSION = /^[A-Za-z]=[^,]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bad<T>(text: string, condition: SaslFailureCondition = "malformed-request"): Parsed<T> {
  return { ok: false, condition, text };
}

/** Message bytes as text; SCRAM is UTF-8 and a byte-exact round trip keeps AuthMessage exact. */
export function decodeUtf8(data: Buffer): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    return undefined;
  }
}

/** saslname: "," and "=" travel as "=2C" and "=3D"; any other "=" (or a NUL) is malformed. */
export function decodeSaslname(value: string): string | undefined {
  if (value === "" || value.includes("\0")) return undefined;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch !== "=") {
      out += ch;
      continue;
    }
    const escape = value.slice(i + 1, i + 3);
    if (escape === "2C") out += ",";
    else if (escape === "3D") out += "=";
    else return undefined;
    i += 2;
  }
  return out;
}

/** Base64 exactly as RFC 4648 §4 writes it (Buffer.from alone accepts almost anything). */
export function decodeBase64Strict(value: string): Buffer | undefined {
  return BASE64.test(value) ? Buffer.from(value, "base64") : undefined;
}

function attribute(part: string | undefined, name: string): string | undefined {
  return part !== undefined && part.startsWith(`${name}=`) ? part.slice(name.length + 1) : undefined;
}

function parseGs2(message: string): Parsed<{ gs2: Gs2Header; rest: string }> {
  const first = message.indexOf(",");
  const second = first < 0 ? -1 : message.indexOf(",", first + 1);
  if (second < 0) return bad("missing gs2 header");
  const flagPart = message.slice(0, first);
  const authzPart = message.slice(first + 1, second);
  const gs2: Gs2Header = { raw: message.slice(0, second + 1), flag: "n" };
  if (flagPart === "n" || flagPart === "y") {
    gs2.flag = flagPart;
  } else if (flagPart.startsWith("p=") && CB_NAME.test(flagPart.slice(2))) {
    gs2.flag = "p";
    gs2.cbName = flagPart.slice(2);
  } else {
    return bad("invalid channel binding flag");
  }
  if (authzPart !== "") {
    const encoded = attribute(authzPart, "a");
    const authzid = encoded === undefined ? undefined : decodeSaslname(encoded);
    if (authzid === undefined) return bad("invalid authzid");
    gs2.authzid = authzid;
  }
  return { ok: true, value: { gs2, rest: message.slice(second + 1) } };
}

function checkExtensions(parts: string[]): string | undefined {
  return parts.every((p) => EXTENSION.test(p)) ? undefined : "invalid attribute";
}

export function parseClientFirst(message: string): Parsed<ClientFirst> {
  const header = parseGs2(message);
  if (!header.ok) return header;
  const { gs2, rest: bare } = header.value;
  const parts = bare.split(",");
  // A mandatory extension (reserved-mext) is one this server cannot know: RFC 5802 says fail.
  if (parts[0]?.startsWith("m=")) return bad("extensions-not-supported");
  const encodedUser = attribute(parts[0], "n");
  const username = encodedUser === undefined ? undefined : decodeSaslname(encodedUser);
  if (username === undefined) return bad("invalid username attribute");
  const nonce = attribute(parts[1], "r");
  if (nonce === undefined || !PRINTABLE.test(nonce)) return bad("invalid nonce attribute");
  const extensionError = checkExtensions(parts.slice(2));
  if (extensionError !== undefined) return bad(extensionError);
  return { ok: true, value: { gs2, bare, username, nonce } };
}

export function parseClientFinal(message: string): Parsed<ClientFinal> {
  const proofAt = message.lastIndexOf(",p=");
  if (proofAt < 0) return bad("missing proof");
  const withoutProof = message.slice(0, proofAt);
  const parts = withoutProof.split(",");
  const cbText = attribute(parts[0], "c");
  if (cbText === undefined || cbText === "") return bad("missing channel binding attribute");
  const channelBinding = decodeBase64Strict(cbText);
  if (channelBinding === undefined) return bad("invalid-encoding", "incorrect-encoding");
  const nonce = attribute(parts[1], "r");
  if (nonce === undefined || !PRINTABLE.test(nonce)) return bad("invalid nonce attribute");
  const extensionError = checkExtensions(parts.slice(2));
  if (extensionError !== undefined) return bad(extensionError);
  const proofText = message.slice(proofAt + 3);
  if (proofText === "" || proofText.includes(",")) return bad("proof must be the last attribute, and not empty");
  const proof = decodeBase64Strict(proofText);
  if (proof === undefined) return bad("invalid-encoding", "incorrect-encoding");
  return { ok: true, value: { withoutProof, channelBinding, nonce, proof } };
}
