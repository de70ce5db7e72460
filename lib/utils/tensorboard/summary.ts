/**
 * @internal Summary.Value messages of torch.utils.tensorboard.summary (PyTorch 1.13): scalar,
 * histogram (TensorBoard's exponential default bins, numpy.histogram's counting), image (PNG),
 * text. Tensor numbers are computed by libtorch ops; only the framing is JS.
 */
import * as zlib from 'zlib';
import { Tensor } from '../../tensor';
import * as ops from '../../generated/ops';
import { tensor } from '../../creation';
import { float64, float32, uint8, int64 } from '../../dtype';
import { Msg, crc32 } from './proto';

/** A number or a one-element tensor as a JS number. */
export function toNumber(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Tensor) {
    if (v.numel() !== 1) throw new RangeError(`${what}: the tensor must have one element, got shape [${v.shape}]`);
    return Number(v.item());
  }
  throw new TypeError(`${what} must be a number or a one-element Tensor`);
}

/** Summary.Value{tag, simple_value} */
export function scalar(tag: string, value: number): Msg {
  return new Msg().bytes(1, tag).float(2, value);
}

/** TensorBoard's default bucket edges: ±1e-12 * 1.1^k up to 1e20, and 0. */
export const default_bins: number[] = (() => {
  const buckets: number[] = [];
  const neg: number[] = [];
  let v = 1e-12;
  while (v < 1e20) {
    buckets.push(v);
    neg.push(-v);
    v *= 1.1;
  }
  return [...neg.reverse(), 0, ...buckets];
})();

/** Summary.Value{tag, histo}: numpy.histogram(values, bins) trimmed to the support, as make_histogram does. */
export function histogram(tag: string, values: Tensor, bins: number[] = default_bins): Msg {
  const v = values.detach().to(float64).reshape([-1]);
  if (v.numel() === 0) throw new RangeError('The input has no element.');
  const edges = tensor(bins, { dtype: float64 });
  const m = bins.length;
  // numpy: bin i holds [e_i, e_{i+1}); the last bin also holds its right edge
  let idx = ops.bucketize(v, edges, { right: true }).sub(1);
  idx = ops.where(v.eq(bins[m - 1]), ops.full([], m - 2, { dtype: int64 }), idx);
  const inRange = idx.ge(0).logical_and(idx.lt(m - 1));
  const counts = Array.from(ops.bincount(idx.idx(inRange), null, m - 1).to(float64).to_typed_array() as Float64Array);
  let first = counts.findIndex((c) => c > 0);
  let last = counts.length - 1 - [...counts].reverse().findIndex((c) => c > 0);
  if (first < 0) {
    first = 0;
    last = 0;
  }
  const outCounts = first > 0 ? counts.slice(first - 1, last + 1) : [0, ...counts.slice(0, last + 1)];
  const limits = bins.slice(first, last + 2);
  const hist = new Msg()
    .double(1, Number(v.min().item()))
    .double(2, Number(v.max().item()))
    .double(3, v.numel())
    .double(4, Number(v.sum().item()))
    .double(5, Number(ops.dot(v, v).item()))
    .packedDoubles(6, limits)
    .packedDoubles(7, outCounts);
  return new Msg().bytes(1, tag).bytes(5, hist);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A PNG of an HWC uint8 image with 1 (gray), 3 (RGB) or 4 (RGBA) channels. */
export function encodePNG(hwc: Uint8Array, h: number, w: number, c: number): Buffer {
  const colorType = c === 1 ? 0 : c === 3 ? 2 : c === 4 ? 6 : -1;
  if (colorType < 0) throw new RangeError(`an image must have 1, 3 or 4 channels, got ${c}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colorType;
  const raw = Buffer.alloc(h * (1 + w * c));
  for (let y = 0; y < h; y++) {
    raw[y * (1 + w * c)] = 0; // filter: none
    Buffer.from(hwc.buffer, hwc.byteOffset + y * w * c, w * c).copy(raw, y * (1 + w * c) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The image as HWC (from dataformats CHW, HWC, HW), scaled to 0..255 uint8 as PyTorch's image() does. */
export function imageHWC(img: Tensor, dataformats: string): Tensor {
  let t = img.detach();
  const f = dataformats.toUpperCase();
  if (t.dim() !== f.length) throw new RangeError(`size of input tensor and input format are different. tensor shape: [${t.shape}], input_format: ${dataformats}`);
  if (f === 'HW') t = t.unsqueeze(-1);
  else if (f === 'CHW') t = t.permute([1, 2, 0]);
  else if (f !== 'HWC') throw new RangeError(`dataformats ${dataformats} is not one of CHW, HWC, HW`);
  // one channel is shown as gray RGB (PyTorch's convert_to_HWC repeats it three times)
  if (t.size(-1) === 1) t = t.expand([-1, -1, 3]);
  // float images in [0, 1] are scaled by 255; uint8 ones are kept
  const scale = t.dtype === uint8 ? 1 : 255;
  return t.to(float32).mul(scale).clamp({ min: 0, max: 255 }).to(uint8).contiguous();
}

/** Summary.Value{tag, image{height, width, colorspace, encoded_image_string}} */
export function image(tag: string, img: Tensor, dataformats = 'CHW'): Msg {
  const hwc = imageHWC(img, dataformats);
  const [h, w, c] = hwc.shape;
  const png = encodePNG(hwc.to_typed_array() as Uint8Array, h, w, c);
  const im = new Msg().int(1, h).int(2, w).int(3, c).bytes(4, png);
  return new Msg().bytes(1, tag).bytes(4, im);
}

/** Summary.Value{tag/text_summary, metadata{plugin_data{plugin_name: "text"}}, tensor{DT_STRING, [text]}} */
export function text(tag: string, s: string): Msg {
  const metadata = new Msg().bytes(1, new Msg().bytes(1, 'text').bytes(2, Buffer.alloc(0)));
  const shape = new Msg().bytes(2, new Msg().int(1, 1));
  const t = new Msg().int(1, 7 /* DT_STRING */).bytes(2, shape).bytes(8, s);
  return new Msg().bytes(1, `${tag}/text_summary`).bytes(9, metadata).bytes(8, t);
}

/** google.protobuf.Value of a number or a string. */
const pbValue = (v: number | string): Msg => (typeof v === 'number' ? new Msg().double(2, v) : new Msg().bytes(3, v));
/** Summary.Value{tag, metadata{plugin_data{plugin_name: "hparams", content: HParamsPluginData}}} */
function hparamsValue(tag: string, content: Msg): Msg {
  const pd = new Msg().bytes(1, 'hparams').bytes(2, content);
  return new Msg().bytes(1, tag).bytes(9, new Msg().bytes(1, pd));
}

/**
 * The three summaries of the HParams plugin (PyTorch 1.13's summary.hparams): the experiment
 * (hparam and metric infos), the session start (the values) and the session end (success).
 */
export function hparams(
  hparam_dict: Record<string, number | string | boolean | Tensor | null | undefined>,
  metric_dict: Record<string, unknown>,
  hparam_domain_discrete: Record<string, (number | string | boolean)[]> = {},
): [Msg, Msg, Msg] {
  const ssi = new Msg();
  const infos: Msg[] = [];
  for (const k of Object.keys(hparam_dict)) {
    let v = hparam_dict[k];
    if (v === null || v === undefined) continue;
    if (v instanceof Tensor) v = Number(v.reshape([-1]).idx(0).item());
    let type: number;
    let value: Msg;
    if (typeof v === 'number' || typeof v === 'boolean') {
      // Python's isinstance(v, (int, float)) holds for bools too: they are stored as numbers
      value = pbValue(Number(v));
      type = 3; // DATA_TYPE_FLOAT64
    } else if (typeof v === 'string') {
      value = pbValue(v);
      type = 1; // DATA_TYPE_STRING
    } else {
      throw new RangeError('value should be one of int, float, str, bool, or torch.Tensor');
    }
    ssi.bytes(1, new Msg().bytes(1, k).bytes(2, value));
    const info = new Msg().bytes(1, k).int(4, type);
    const dom = hparam_domain_discrete[k];
    if (dom) {
      const lv = new Msg();
      for (const d of dom) lv.bytes(1, typeof d === 'string' ? pbValue(d) : pbValue(Number(d)));
      info.bytes(5, lv);
    }
    infos.push(info);
  }
  const exp = new Msg();
  for (const i of infos) exp.bytes(4, i);
  for (const k of Object.keys(metric_dict)) exp.bytes(5, new Msg().bytes(1, new Msg().bytes(2, k)));
  return [
    hparamsValue('_hparams_/experiment', new Msg().bytes(2, exp)),
    hparamsValue('_hparams_/session_start_info', new Msg().bytes(3, ssi)),
    hparamsValue('_hparams_/session_end_info', new Msg().bytes(4, new Msg().int(1, 1 /* STATUS_SUCCESS */))),
  ];
}
