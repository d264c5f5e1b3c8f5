// Byte-level UTF-8 helpers for the stream parser's error path. Decoding itself is TextDecoder's
// job; these only find out where, in bytes, a chunk the decoder refused went wrong, so the valid
// text before that point is still parsed (the outcome must not depend on how TCP split the input).

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
