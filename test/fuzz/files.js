// Malformed-file generator for the loaders (torch.load, torch.jit.load, safetensors.load): real
// files from test/fixtures mutated, deterministically for a seed. Mutations on the raw bytes
// (bit flips, truncation, overwritten integers) mostly stop at a CRC or header check, so most are
// made inside one zip record, with the CRCs fixed up afterwards, so that they reach the pickle
// reader, the record table and the TorchScript importer:
//   pickle ints set to huge/negative values (storage sizes, shapes, strides, offsets), pickle
//   opcodes overwritten, record names changed (path traversal, absolute, duplicates), record bytes
//   flipped or zeroed; safetensors headers with huge/negative offsets and shapes, unknown dtypes.
'use strict';
const fs = require('fs');
const path = require('path');

const FIX = path.join(__dirname, '..', 'fixtures');
const SEEDS = [
  ...['state_dict.pt', 'params.pt', 'nested.pt', 'shared.pt', 'storages.pt', 'noncontig.pt', 'dtypes.pt', 'protocol4.pt']
    .map((f) => ({ file: path.join(FIX, 'serialization', f), loader: 'load' })),
  ...['scripted.pt', 'traced_cnn.pt', 'traced_lstm.pt', 'quant_dynamic.pt']
    .map((f) => ({ file: path.join(FIX, 'jit', f), loader: 'jit.load' })),
  { file: path.join(FIX, 'serialization', 'model.safetensors'), loader: 'safetensors.load' },
];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(b) {
  let c = 0xFFFFFFFF;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xFF] ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}

// The zip's records: {name, cd (central entry offset), local (header offset), data, size}.
function records(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) return [];
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let k = 0; k < n && p + 46 <= buf.length && buf.readUInt32LE(p) === 0x02014b50; k++) {
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const size = buf.readUInt32LE(p + 20);
    const name = buf.toString('latin1', p + 46, p + 46 + nameLen);
    if (local + 30 <= buf.length) {
      const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      out.push({ name, cd: p, local, data, size, method: buf.readUInt16LE(p + 10) });
    }
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

function fixCrc(buf, rec) {
  if (rec.data + rec.size > buf.length) return;
  const c = crc32(buf.subarray(rec.data, rec.data + rec.size));
  buf.writeUInt32LE(c, rec.cd + 16);
  buf.writeUInt32LE(c, rec.local + 14);
}

const HUGE32 = [0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 0, 1, 0x10000];

// pickle: BININT (J, 4 bytes), BININT1 (K, 1 byte), BININT2 (M, 2 bytes), LONG1 (\x8a n bytes)
function mutatePickle(r, b) {
  const sites = [];
  for (let i = 0; i < b.length - 1; i++) {
    const op = b[i];
    if (op === 0x4A && i + 5 <= b.length) sites.push([i, 'J']);
    else if (op === 0x4B) sites.push([i, 'K']);
    else if (op === 0x4D && i + 3 <= b.length) sites.push([i, 'M']);
  }
  const what = r.int(3);
  if (what === 0 && sites.length) {
    const [i, k] = r.pick(sites);
    if (k === 'J') b.writeUInt32LE(r.pick(HUGE32), i + 1);
    else if (k === 'K') b[i + 1] = r.pick([0, 255, 128]);
    else b.writeUInt16LE(r.pick([0, 65535]), i + 1);
    return `pickle int at ${i}`;
  }
  if (what === 1 && sites.length) {
    // a small int becomes a 4-byte one: shifts the stream, which the opcodes after it must survive
    const [i] = r.pick(sites);
    b[i] = r.pick([0x4A, 0x8A, 0x28, 0x29, 0x2E, 0x71, 0x68, 0x94, 0x93, 0x52, 0x62]);
    return `pickle opcode at ${i}`;
  }
  const i = r.int(b.length);
  b[i] = r.int(256);
  return `pickle byte at ${i}`;
}

function mutateZip(r, buf) {
  const recs = records(buf).filter((x) => x.method === 0 && x.data + x.size <= buf.length);
  if (recs.length === 0) return null;
  const pkl = recs.filter((x) => /\.pkl$/.test(x.name));
  const what = r.int(10);
  if (what < 5 && pkl.length) {
    const rec = r.pick(pkl);
    const b = buf.subarray(rec.data, rec.data + rec.size);
    const how = mutatePickle(r, b);
    fixCrc(buf, rec);
    return `${rec.name}: ${how}`;
  }
  const rec = r.pick(recs);
  if (what === 5) {
    // rename a record (same length, so that the offsets stay right)
    const len = rec.name.length;
    const names = ['../' + rec.name, '/' + rec.name, recs[0].name, rec.name.replace(/[^/]/g, 'a')];
    const nn = Buffer.from(r.pick(names).padEnd(len, 'x').slice(0, len), 'latin1');
    nn.copy(buf, rec.cd + 46);
    nn.copy(buf, rec.local + 30);
    return `rename ${rec.name} -> ${nn.toString('latin1')}`;
  }
  if (what === 6) {
    buf.writeUInt32LE(r.pick(HUGE32), rec.cd + r.pick([20, 24]));
    return `${rec.name}: size field`;
  }
  if (what === 7) {
    buf.writeUInt32LE(r.pick(HUGE32), rec.cd + 42);
    return `${rec.name}: header offset`;
  }
  const b = buf.subarray(rec.data, rec.data + rec.size);
  const n = 1 + r.int(8);
  for (let k = 0; k < n && b.length; k++) b[r.int(b.length)] = r.int(256);
  fixCrc(buf, rec);
  return `${rec.name}: ${n} bytes`;
}

function mutateSafetensors(r, buf) {
  const n = Number(buf.readBigUInt64LE(0));
  let h;
  try { h = JSON.parse(buf.toString('utf8', 8, 8 + n)); } catch { return null; }
  const keys = Object.keys(h).filter((k) => k !== '__metadata__');
  const k = r.pick(keys);
  const what = r.int(6);
  if (what === 0) h[k].shape = r.pick([[2 ** 40], [-1], [1e18, 1e18], [], [2 ** 31, 2 ** 31]]);
  else if (what === 1) h[k].data_offsets = r.pick([[0, 2 ** 53], [-8, 0], [8, 0], [0, 1e20], ['a', 0]]);
  else if (what === 2) h[k].dtype = r.pick(['F128', 'X', '', 'I1']);
  else if (what === 3) h.__proto__x = { dtype: 'F32', shape: [1], data_offsets: [0, 4] };
  else if (what === 4) { const b = Buffer.from(buf); b.writeBigUInt64LE(r.pick([2n ** 63n, 0n, 2n ** 40n]), 0); return { buf: b, how: 'header length' }; }
  else delete h[k].shape;
  const head = Buffer.from(JSON.stringify(h));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(head.length));
  return { buf: Buffer.concat([len, head, buf.subarray(8 + n)]), how: `header ${k} #${what}` };
}

function mutateRaw(r, buf) {
  const what = r.int(3);
  if (what === 0) return { buf: buf.subarray(0, r.int(buf.length)), how: 'truncated' };
  const b = Buffer.from(buf);
  if (what === 1) {
    const n = 1 + r.int(16);
    for (let k = 0; k < n; k++) b[r.int(b.length)] ^= 1 << r.int(8);
    return { buf: b, how: `${n} bit flips` };
  }
  const i = r.int(Math.max(1, b.length - 4));
  b.writeUInt32LE(r.pick(HUGE32), i);
  return { buf: b, how: `u32 at ${i}` };
}

/** n malformed files written under dir: [{target, args: [['file', path]], how, size}]. */
function generate(r, n, dir) {
  const seeds = SEEDS.filter((s) => fs.existsSync(s.file)).map((s) => ({ ...s, buf: fs.readFileSync(s.file) }));
  // the committed hostile corpus (make_malformed.py) goes in first, as it is
  const out = [];
  const mal = path.join(FIX, 'malformed');
  if (fs.existsSync(mal)) {
    for (const f of fs.readdirSync(mal).filter((x) => x.endsWith('.pt')).sort()) {
      out.push({ target: 'load:load', kind: 'load', args: [['file', path.join(mal, f)]], how: `corpus ${f}`, size: fs.statSync(path.join(mal, f)).size });
    }
  }
  for (let i = 0; out.length < n; i++) {
    const s = r.pick(seeds);
    let res;
    if (s.loader === 'safetensors.load') res = r.chance(0.7) ? mutateSafetensors(r, s.buf) : mutateRaw(r, s.buf);
    else if (r.chance(0.8)) {
      const b = Buffer.from(s.buf);
      const how = mutateZip(r, b);
      res = how ? { buf: b, how } : mutateRaw(r, s.buf);
    } else res = mutateRaw(r, s.buf);
    if (!res) continue;
    const f = path.join(dir, `m${i}_${path.basename(s.file)}`);
    fs.writeFileSync(f, res.buf);
    out.push({ target: `load:${s.loader}`, kind: 'load', args: [['file', f]], how: `${path.basename(s.file)}: ${res.how}`, size: res.buf.length });
  }
  return out;
}

module.exports = { generate, records, crc32 };
