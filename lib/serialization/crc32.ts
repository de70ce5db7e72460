/**
 * CRC-32 (ISO-HDLC, the zip checksum). Node's zlib.crc32 (Node >= 20.15 / 22.2) is used when
 * present (about 2 GB/s); otherwise a slicing-by-8 table implementation (about 0.4 GB/s).
 */
import * as zlib from 'zlib';

const T = new Int32Array(256 * 8);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = T[n];
  for (let k = 1; k < 8; k++) {
    c = T[c & 0xff] ^ (c >>> 8);
    T[k * 256 + n] = c;
  }
}

/** @internal The table implementation (exported for tests). */
export function crc32_js(buf: Uint8Array, prev = 0): number {
  let c = ~prev;
  let i = 0;
  const n = buf.length;
  const end = n - 8;
  for (; i <= end; i += 8) {
    const a = c ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
    c = T[1792 + (a & 0xff)] ^ T[1536 + ((a >>> 8) & 0xff)] ^ T[1280 + ((a >>> 16) & 0xff)] ^ T[1024 + (a >>> 24)] ^
      T[768 + buf[i + 4]] ^ T[512 + buf[i + 5]] ^ T[256 + buf[i + 6]] ^ T[buf[i + 7]];
  }
  for (; i < n; i++) c = T[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 of `buf`, continuing from `prev` (the CRC of the bytes before it). */
export const crc32: (buf: Uint8Array, prev?: number) => number =
  typeof native === 'function' ? (buf, prev = 0) => native(buf, prev) >>> 0 : crc32_js;
