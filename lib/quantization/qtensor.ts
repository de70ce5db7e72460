/**
 * Quantized tensors: the qscheme constants (torch.per_tensor_affine …) and the quantization
 * metadata methods PyTorch's Tensor has (q_scale, q_zero_point, q_per_channel_*, qscheme,
 * is_quantized). quantize_per_tensor / quantize_per_channel / dequantize / int_repr are generated
 * ATen ops (lib/generated/ops.ts).
 *
 * Example:
 *   const q = torch.quantize_per_tensor(torch.tensor([-1, 0, 1, 2]), 0.1, 10, torch.quint8);
 *   q.q_scale();      // 0.1
 *   q.int_repr();     // tensor([ 0, 10, 20, 30], dtype=torch.uint8)
 *   q.dequantize();   // tensor([-1., 0., 1., 2.])
 */
import { native } from '../binding';
import { Tensor } from '../tensor';

/** torch.qscheme: how a quantized tensor maps integers to reals. */
export class qscheme {
  /** @internal */
  constructor(readonly name: string) {}
  toString(): string {
    return `torch.${this.name}`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
export const per_tensor_affine = new qscheme('per_tensor_affine');
export const per_channel_affine = new qscheme('per_channel_affine');
export const per_tensor_symmetric = new qscheme('per_tensor_symmetric');
export const per_channel_symmetric = new qscheme('per_channel_symmetric');
export const per_channel_affine_float_qparams = new qscheme('per_channel_affine_float_qparams');
const SCHEMES: Record<string, qscheme> = {
  per_tensor_affine, per_channel_affine, per_tensor_symmetric, per_channel_symmetric, per_channel_affine_float_qparams,
};

declare module '../tensor' {
  interface Tensor {
    /** True for quantized tensors (qint8, quint8, qint32, quint4x2). */
    readonly is_quantized: boolean;
    /** The scale of a per-tensor quantized tensor. */
    q_scale(): number;
    /** The zero point of a per-tensor quantized tensor. */
    q_zero_point(): number;
    /** The scales (float64) of a per-channel quantized tensor. */
    q_per_channel_scales(): Tensor;
    /** The zero points (int64) of a per-channel quantized tensor. */
    q_per_channel_zero_points(): Tensor;
    /** The channel axis of a per-channel quantized tensor. */
    q_per_channel_axis(): number;
    /** The quantization scheme of a quantized tensor (torch.per_tensor_affine …). */
    qscheme(): qscheme;
  }
}

/** torch.q_scale(input) */
export function q_scale(input: Tensor): number {
  return native._q_scale(input._h);
}
/** torch.q_zero_point(input) */
export function q_zero_point(input: Tensor): number {
  return native._q_zero_point(input._h);
}
/** torch.q_per_channel_scales(input) */
export function q_per_channel_scales(input: Tensor): Tensor {
  return new Tensor(native._q_per_channel_scales(input._h));
}
/** torch.q_per_channel_zero_points(input) */
export function q_per_channel_zero_points(input: Tensor): Tensor {
  return new Tensor(native._q_per_channel_zero_points(input._h));
}
/** torch.q_per_channel_axis(input) */
export function q_per_channel_axis(input: Tensor): number {
  return native._q_per_channel_axis(input._h);
}

const methods: Record<string, (this: Tensor) => unknown> = {
  q_scale(this: Tensor) { return q_scale(this); },
  q_zero_point(this: Tensor) { return q_zero_point(this); },
  q_per_channel_scales(this: Tensor) { return q_per_channel_scales(this); },
  q_per_channel_zero_points(this: Tensor) { return q_per_channel_zero_points(this); },
  q_per_channel_axis(this: Tensor) { return q_per_channel_axis(this); },
  qscheme(this: Tensor) { return SCHEMES[native._qscheme(this._h)]; },
};
for (const [name, fn] of Object.entries(methods)) {
  if (Object.prototype.hasOwnProperty.call(Tensor.prototype, name)) continue;
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
if (!Object.prototype.hasOwnProperty.call(Tensor.prototype, 'is_quantized')) {
  Object.defineProperty(Tensor.prototype, 'is_quantized', {
    get(this: Tensor) { return native._is_quantized(this._h); },
    configurable: true, enumerable: false,
  });
}
