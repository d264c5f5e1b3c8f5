// Byte-level UTF-8 helpers for the stream parser: where a chunk ends in the middle of a character
// (held back for the next chunk), and, for input that is not UTF-8, where in bytes it went wrong,
// so the valid text before that point is still parsed (the outcome must not depend on how TCP
// split the input). Validation of whole chunks is buffer.isUtf8's job.

/**
 * How many bytes at the end of `bytes` are the start of a character that is not finished yet
 * (0–3). `bytes` must end with at least the last 3 bytes the decoder has seen.
 */
export function incompleteTail(bytes: Uint8Array): number {
  const len = bytes.length;
  for (let k = 1; k <= 3 && k <= len; k++) {
    const b = bytes[len - k]!;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > k ? k : 0;
    }
    // A continuation byte: the lead byte is further back.
  }
  return 0;
}

/** Length of the longest prefix of `bytes` that is complete, valid UTF-8 (RFC 3629 §4). */
export function validUtf8Length(bytes: Uint8Array): number {
  const len = bytes.length;
  let i = 0;
  while (i < len) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf; // range of the second byte
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      else if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      else if (b === 0xf4) hi = 0x8f; // beyond U+10FFFF
    } else return i;
    if (i + need >= len) return i;
    const b1 = bytes[i + 1]!;
    if (b1 < lo || b1 > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return i;
}

/**
 * Whether `tail` (1–3 bytes, as counted by incompleteTail) can still become a valid character:
 * a lead byte of a multi-byte sequence, a second byte in the range that lead byte allows (no
 * overlongs, surrogates or code points beyond U+10FFFF) and continuation bytes after it. A tail
 * that cannot is an error now, as a fatal streaming TextDecoder would report it, not a chunk later.
 */
export function isUtf8Prefix(tail: Uint8Array): boolean {
  const b = tail[0]!;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) {
    // two-byte lead: any continuation byte
  } else if (b >= 0xe0 && b <= 0xef) {
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return false;
  if (tail.length >= 2 && (tail[1]! < lo || tail[1]! > hi)) return false;
  for (let k = 2; k < tail.length; k++) if (tail[k]! < 0x80 || tail[k]! > 0xbf) return false;
  return true;
}
