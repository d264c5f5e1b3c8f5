// Archive keys shared by the SQLite store and the archive writer (which assigns keys before its batched commit).
import { randomBytes } from "node:crypto";

// Keys are time-ordered: 6 bytes of milliseconds then 10 random bytes, in base64 with an alphabet
// in ASCII order (22 URL-safe characters). Random bytes make them unique without a lookup; the
// time prefix makes a user's new keys land together at the end of the key index instead of on
// random pages, which keeps appends and oldest-first purges cheap at millions of rows.
const KEY_RANDOM_BYTES = 10;
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const SORTABLE = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const TO_SORTABLE = new Uint8Array(128);
for (let i = 0; i < 64; i++) TO_SORTABLE[BASE64URL.charCodeAt(i)] = SORTABLE.charCodeAt(i);

const keyBytes = Buffer.alloc(6 + KEY_RANDOM_BYTES);
const keyText = Buffer.alloc(Math.ceil(((6 + KEY_RANDOM_BYTES) * 4) / 3));
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

/** A new archive key; `now` (ms) is a parameter for tests. */
export function newArchiveKey(now = Date.now()): string {
  if (randomOffset + KEY_RANDOM_BYTES > randomPool.length) {
    randomPool = randomBytes(KEY_RANDOM_BYTES * 256); // one system call per 256 keys
    randomOffset = 0;
  }
  keyBytes.writeUIntBE(now, 0, 6);
  randomPool.copy(keyBytes, 6, randomOffset, randomOffset + KEY_RANDOM_BYTES);
  randomOffset += KEY_RANDOM_BYTES;
  keyText.write(keyBytes.toString("base64url"), "latin1");
  for (let i = 0; i < keyText.length; i++) keyText[i] = TO_SORTABLE[keyText[i]!]!;
  return keyText.toString("latin1");
}
