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
  interface Tensor extends QuantizedTensorMethods {}
}

/** The quantization metadata methods of Tensor (defined on Tensor.prototype by lib/_tensor.ts). */
export class QuantizedTensorMethods {
  /** True for quantized tensors (qint8, quint8, qint32, quint4x2). */
  get is_quantized(): boolean {
    return native._is_quantized((this as unknown as Tensor)._h);
  }
  /** The scale of a per-tensor quantized tensor. */
  q_scale(this: Tensor): number {
    return q_scale(this);
  }
  /** The zero point of a per-tensor quantized tensor. */
  q_zero_point(this: Tensor): number {
    return q_zero_point(this);
  }
  /** The scales (float64) of a per-channel quantized tensor. */
  q_per_channel_scales(this: Tensor): Tensor {
    return q_per_channel_scales(this);
  }
  /** The zero points (int64) of a per-channel quantized tensor. */
  q_per_channel_zero_points(this: Tensor): Tensor {
    return q_per_channel_zero_points(this);
  }
  /** The channel axis of a per-channel quantized tensor. */
  q_per_channel_axis(this: Tensor): number {
    return q_per_channel_axis(this);
  }
  /** The quantization scheme of a quantized tensor (torch.per_tensor_affine …). */
  qscheme(this: Tensor): qscheme {
    return SCHEMES[native._qscheme(this._h)];
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
