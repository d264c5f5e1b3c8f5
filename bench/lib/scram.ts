// Client side of SASL SCRAM-SHA-1 (RFC 5802), without channel binding (gs2 header "n,,").
// The salted password is cached per (password, salt, iterations), as real clients do, so that a
// login costs the generator a few HMACs instead of 4096 PBKDF2 rounds once an account was seen.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

const HASH = "sha1";
const KEY_BYTES = 20;

interface Keys {
  clientKey: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

const keyCache = new Map<string, Keys>();

function keysFor(password: string, salt: Buffer, iterations: number): Keys {
  const cacheKey = `${iterations}\u0000${salt.toString("base64")}\u0000${password}`;
  let keys = keyCache.get(cacheKey);
  if (keys === undefined) {
    const salted = pbkdf2Sync(password, salt, iterations, KEY_BYTES, HASH);
    const clientKey = hmac(salted, "Client Key");
    keys = { clientKey, storedKey: createHash(HASH).update(clientKey).digest(), serverKey: hmac(salted, "Server Key") };
    keyCache.set(cacheKey, keys);
  }
  return keys;
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac(HASH, key).update(data).digest();
}

/** RFC 5802 §5.1: "=" and "," in the user name are escaped. */
function saslName(user: string): string {
  return user.replace(/=/g, "=3D").replace(/,/g, "=2C");
}

function parseAttributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

/** One SCRAM exchange: initial() → respond(serverFirst) → verify(serverFinal). */
export class ScramClient {
  private readonly clientNonce = randomBytes(18).toString("base64");
  private readonly clientFirstBare: string;
  private authMessage = "";
  private serverKey: Buffer | undefined;

  constructor(
    user: string,
    private readonly password: string,
  ) {
    this.clientFirstBare = `n=${saslName(user)},r=${this.clientNonce}`;
  }

  /** The client-first-message (to be base64-encoded into <auth/>). */
  initial(): string {
    return "n,," + this.clientFirstBare;
  }

  /** The client-final-message for the server-first-message. Throws on a malformed challenge. */
  respond(serverFirst: string): string {
    const a = parseAttributes(serverFirst);
    const nonce = a.get("r");
    const salt = a.get("s");
    const iterations = Number(a.get("i"));
    if (nonce === undefined || !nonce.startsWith(this.clientNonce) || salt === undefined || !Number.isInteger(iterations) || iterations < 1) {
      throw new Error(`bad SCRAM server-first-message: ${serverFirst}`);
    }
    const keys = keysFor(this.password, Buffer.from(salt, "base64"), iterations);
    const withoutProof = `c=biws,r=${nonce}`;
    this.authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac(HASH, keys.storedKey).update(this.authMessage).digest();
    const proof = Buffer.alloc(KEY_BYTES);
    for (let i = 0; i < KEY_BYTES; i++) proof[i] = keys.clientKey[i]! ^ signature[i]!;
    this.serverKey = keys.serverKey;
    return `${withoutProof},p=${proof.toString("base64")}`;
  }

  /** Checks the server's signature in the server-final-message (from <success/>). */
  verify(serverFinal: string): boolean {
    if (this.serverKey === undefined) return false;
    const v = parseAttributes(serverFinal).get("v");
    if (v === undefined) return false;
    const expected = createHmac(HASH, this.serverKey).update(this.authMessage).digest();
    const got = Buffer.from(v, "base64");
    return got.length === expected.length && timingSafeEqual(got, expected);
  }
}

/** Stored credentials for a password, as a server keeps them (for writing account files of peers). */
export function scramStoredCredentials(password: string, salt: Buffer, iterations: number): { storedKey: Buffer; serverKey: Buffer } {
  const keys = keysFor(password, salt, iterations);
  return { storedKey: keys.storedKey, serverKey: keys.serverKey };
}
