// Archive keys shared by the SQLite store and the archive writer (which assigns keys before its batched commit).
import { randomBytes } from "node:crypto";

// Keys are time-ordered: 6 bytes of milliseconds then 10 random bytes, in base64 with an alphabet
// in ASCII order (22 URL-safe characters). Random bytes make them unique without a lookup; the
// time prefix makes a user's new keys land together at the end of the key index instead of on
// random pages, which keeps appends and oldest-first purges cheap at millions of rows.
const KEY_RANDOM_BYTES = 10;
const KEY_BYTES = 6 + KEY_RANDOM_BYTES;
/** Keys whose random bytes one call to randomBytes provides. */
const KEYS_PER_DRAW = 1024;
// Base64url's digit values written with the characters of SORTABLE, so that the text sorts as the
// bytes do: digit d (0..63) is SORTABLE[d], and SORTABLE is in ASCII order.
const SORTABLE = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const DIGIT = Uint8Array.from(SORTABLE, (c) => c.charCodeAt(0));

const keyBytes = Buffer.alloc(KEY_BYTES);
const keyText = Buffer.alloc(Math.ceil((KEY_BYTES * 4) / 3));
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

/** A new archive key; `now` (ms) is a parameter for tests. */
export function newArchiveKey(now = Date.now()): string {
  if (randomOffset + KEY_RANDOM_BYTES > randomPool.length) {
    randomPool = randomBytes(KEY_RANDOM_BYTES * KEYS_PER_DRAW); // one system call per 1,024 keys
    randomOffset = 0;
  }
  keyBytes.writeUIntBE(now, 0, 6);
  randomPool.copy(keyBytes, 6, randomOffset, randomOffset + KEY_RANDOM_BYTES);
  randomOffset += KEY_RANDOM_BYTES;
  // Base64 without padding, straight into the sortable digits (this runs once per archived
  // message, on the message path: no intermediate strings).
  let t = 0;
  let b = 0;
  for (; b + 3 <= KEY_BYTES; b += 3) {
    const n = (keyBytes[b]! << 16) | (keyBytes[b + 1]! << 8) | keyBytes[b + 2]!;
    keyText[t++] = DIGIT[n >>> 18]!;
    keyText[t++] = DIGIT[(n >>> 12) & 63]!;
    keyText[t++] = DIGIT[(n >>> 6) & 63]!;
    keyText[t++] = DIGIT[n & 63]!;
  }
  // 16 bytes leave one: two digits for its 8 bits (the last one's low 4 bits are zero).
  const last = keyBytes[b]!;
  keyText[t++] = DIGIT[last >>> 2]!;
  keyText[t++] = DIGIT[(last & 3) << 4]!;
  return keyText.toString("latin1");
}
