/**
 * @internal The few protobuf messages an event file needs (tensorflow/core/util/event.proto,
 * framework/summary.proto, tensor.proto, tensor_shape.proto), encoded by hand, and the TFRecord
 * framing (length, masked CRC32C of the length, data, masked CRC32C of the data).
 */

/** Bytes of a protobuf message under construction. */
export class Msg {
  private parts: Buffer[] = [];
  private varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    const out: number[] = [];
    while (x >= 0x80n) {
      out.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    out.push(Number(x));
    this.parts.push(Buffer.from(out));
  }
  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  /** int32/int64/enum/bool (wire type 0) */
  int(field: number, v: number | bigint | boolean): this {
    this.key(field, 0);
    this.varint(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return this;
  }
  /** double (wire type 1) */
  double(field: number, v: number): this {
    this.key(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.parts.push(b);
    return this;
  }
  /** float (wire type 5) */
  float(field: number, v: number): this {
    this.key(field, 5);
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.parts.push(b);
    return this;
  }
  /** bytes, string or an embedded message (wire type 2) */
  bytes(field: number, v: Buffer | string | Msg): this {
    const b = v instanceof Msg ? v.finish() : typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    this.key(field, 2);
    this.varint(b.length);
    this.parts.push(b);
    return this;
  }
  /** packed repeated double */
  packedDoubles(field: number, vs: number[]): this {
    const b = Buffer.alloc(8 * vs.length);
    vs.forEach((v, i) => b.writeDoubleLE(v, 8 * i));
    return this.bytes(field, b);
  }
  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** The table of a reflected CRC-32 polynomial. */
function crcTable(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

function crc(table: Uint32Array, buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = table[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const CRC32C = crcTable(0x82f63b78);
const CRC32 = crcTable(0xedb88320);

/** CRC-32C (Castagnoli), as TFRecord uses. */
export function crc32c(buf: Uint8Array): number {
  return crc(CRC32C, buf);
}

/** CRC-32 (zlib's, ISO 3309), as PNG chunks use. */
export function crc32(buf: Uint8Array): number {
  return crc(CRC32, buf);
}

/** TFRecord's masked CRC: rotate right by 15 bits and add 0xa282ead8 (mod 2^32). */
export function masked_crc32c(buf: Buffer): number {
  const c = crc32c(buf);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: uint64 length, uint32 masked crc of the length, data, uint32 masked crc of the data. */
export function tfrecord(data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeBigUInt64LE(BigInt(data.length));
  const hcrc = Buffer.alloc(4);
  hcrc.writeUInt32LE(masked_crc32c(header));
  const dcrc = Buffer.alloc(4);
  dcrc.writeUInt32LE(masked_crc32c(data));
  return Buffer.concat([header, hcrc, data, dcrc]);
}
