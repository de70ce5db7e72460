/**
 * nn.functional vision ops: pixel_shuffle/unshuffle, channel_shuffle, interpolate (upsample*),
 * grid_sample and affine_grid, each the ATen op PyTorch's F.* calls.
 */
import { Tensor } from '../../tensor';
import { NotImplementedError } from '../../errors';
import { N, T, h, parseArgs } from './_util';
import { adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d } from './pooling';

/** F.pixel_shuffle(input, upscale_factor): (*, C·r², H, W) → (*, C, H·r, W·r). */
export function pixel_shuffle(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('pixel_shuffle', ['upscale_factor'], args, {}, 1);
  return T(N.a_pixel_shuffle(h(input, 'input', 'pixel_shuffle'), a.upscale_factor));
}
/** F.pixel_unshuffle(input, downscale_factor): (*, C, H·r, W·r) → (*, C·r², H, W). */
export function pixel_unshuffle(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('pixel_unshuffle', ['downscale_factor'], args, {}, 1);
  return T(N.a_pixel_unshuffle(h(input, 'input', 'pixel_unshuffle'), a.downscale_factor));
}
/** F.channel_shuffle(input, groups): (N, g·k, *) → channels regrouped as (N, k·g, *). */
export function channel_shuffle(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('channel_shuffle', ['groups'], args, {}, 1);
  return T(N.a_channel_shuffle(h(input, 'input', 'channel_shuffle'), a.groups));
}

const MODES = 'nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact';
/**
 * F.interpolate(input, size=null, scale_factor=null, mode='nearest', align_corners=null,
 * recompute_scale_factor=null, antialias=false): resizes (N, C, *spatial) inputs with 1–3 spatial dims.
 */
export function interpolate(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('interpolate', ['size', 'scale_factor', 'mode', 'align_corners', 'recompute_scale_factor', 'antialias'], args,
    { size: null, scale_factor: null, mode: 'nearest', align_corners: null, recompute_scale_factor: null, antialias: false });
  const hi = h(input, 'input', 'interpolate');
  const mode: string = a.mode;
  let align = a.align_corners;
  if (['nearest', 'area', 'nearest-exact'].includes(mode)) {
    if (align !== null) throw new RangeError('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
  } else if (align === null) align = false;
  const dim = input.dim() - 2;
  if (dim < 1 || dim > 3) {
    throw new NotImplementedError(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${input.dim()}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
  }
  let output_size: number[] | null = null;
  let scale_factors: number[] | null = null;
  if (a.size !== null && a.scale_factor !== null) throw new RangeError('only one of size or scale_factor should be defined');
  else if (a.size !== null) {
    if (Array.isArray(a.size)) {
      if (a.size.length !== dim) {
        throw new RangeError(`Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [${input.shape.slice(2).join(', ')}] and output size of [${a.size.join(', ')}]. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
      }
      output_size = a.size;
    } else output_size = new Array(dim).fill(a.size);
  } else if (a.scale_factor !== null) {
    if (Array.isArray(a.scale_factor)) {
      if (a.scale_factor.length !== dim) {
        throw new RangeError(`Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of [${input.shape.slice(2).join(', ')}] and scale_factor of shape [${a.scale_factor.join(', ')}]. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`);
      }
      scale_factors = a.scale_factor;
    } else scale_factors = new Array(dim).fill(a.scale_factor);
  } else throw new RangeError('either size or scale_factor should be defined');
  let recompute = a.recompute_scale_factor;
  if (recompute && a.size !== null) throw new RangeError('recompute_scale_factor is not meaningful with an explicit size.');
  if (mode === 'area' && output_size === null) recompute = true;
  if (recompute && scale_factors) {
    const s = input.shape;
    output_size = scale_factors.map((f, i) => Math.floor(s[i + 2] * f));
    scale_factors = null;
  }
  const nd = input.dim();
  if (a.antialias && !(nd === 4 && (mode === 'bilinear' || mode === 'bicubic'))) {
    throw new RangeError('Anti-alias option is only supported for bilinear and bicubic modes');
  }
  if (mode === 'nearest' && nd >= 3 && nd <= 5) return T(N[`a_upsample_nearest${nd - 2}d_vec` as 'a_upsample_nearest1d_vec' | 'a_upsample_nearest2d_vec' | 'a_upsample_nearest3d_vec'](hi, output_size, scale_factors));
  if (mode === 'nearest-exact' && nd >= 3 && nd <= 5) return T(N[`a__upsample_nearest_exact${nd - 2}d_vec` as 'a__upsample_nearest_exact1d_vec' | 'a__upsample_nearest_exact2d_vec' | 'a__upsample_nearest_exact3d_vec'](hi, output_size, scale_factors));
  if (a.antialias) return T(N[`a__upsample_${mode}2d_aa_vec` as 'a__upsample_bilinear2d_aa_vec' | 'a__upsample_bicubic2d_aa_vec'](hi, output_size, align, scale_factors));
  if (mode === 'area' && nd >= 3 && nd <= 5) {
    const fn = [adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d][nd - 3];
    return fn(input, output_size as number[]);
  }
  if (mode === 'linear' && nd === 3) return T(N.a_upsample_linear1d_vec(hi, output_size, align, scale_factors));
  if (mode === 'bilinear' && nd === 4) return T(N.a_upsample_bilinear2d_vec(hi, output_size, align, scale_factors));
  if (mode === 'trilinear' && nd === 5) return T(N.a_upsample_trilinear3d_vec(hi, output_size, align, scale_factors));
  if (mode === 'bicubic' && nd === 4) return T(N.a_upsample_bicubic2d_vec(hi, output_size, align, scale_factors));
  const need: Record<string, number> = { linear: 3, bilinear: 4, trilinear: 5, bicubic: 4 };
  if (need[mode] !== undefined) throw new RangeError(`Got ${nd}D input, but ${mode} mode needs ${need[mode]}D input`);
  throw new RangeError(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${nd}D) for the modes: ${MODES} (got ${mode})`);
}
/** F.upsample(...): deprecated alias of interpolate. */
export const upsample = interpolate;
/** F.upsample_nearest(input, size=null, scale_factor=null). */
export function upsample_nearest(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('upsample_nearest', ['size', 'scale_factor'], args, { size: null, scale_factor: null });
  return interpolate(input, a.size, a.scale_factor, 'nearest');
}
/** F.upsample_bilinear(input, size=null, scale_factor=null): bilinear with align_corners=true. */
export function upsample_bilinear(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('upsample_bilinear', ['size', 'scale_factor'], args, { size: null, scale_factor: null });
  return interpolate(input, a.size, a.scale_factor, 'bilinear', true);
}

/**
 * F.grid_sample(input, grid, mode='bilinear', padding_mode='zeros', align_corners=null).
 * Shape: input (N, C, H, W), grid (N, H_out, W_out, 2) → (N, C, H_out, W_out) (also 5-D).
 */
export function grid_sample(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('grid_sample', ['grid', 'mode', 'padding_mode', 'align_corners'], args, { mode: 'bilinear', padding_mode: 'zeros', align_corners: null }, 1);
  const modes: Record<string, number> = { bilinear: 0, nearest: 1, bicubic: 2 };
  const pads: Record<string, number> = { zeros: 0, border: 1, reflection: 2 };
  if (!(a.mode in modes)) throw new RangeError(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${a.mode}'`);
  if (!(a.padding_mode in pads)) throw new RangeError(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${a.padding_mode}'`);
  return T(N.a_grid_sampler(h(input, 'input', 'grid_sample'), h(a.grid, 'grid', 'grid_sample'), modes[a.mode], pads[a.padding_mode], a.align_corners ?? false));
}

/**
 * F.affine_grid(theta, size, align_corners=null): the sampling grid of a batch of affine maps.
 * Shape: theta (N, 2, 3) with size [N, C, H, W] → (N, H, W, 2); theta (N, 3, 4) for 5-D sizes.
 */
export function affine_grid(theta: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('affine_grid', ['size', 'align_corners'], args, { align_corners: null }, 1);
  const ht = h(theta, 'theta', 'affine_grid');
  if (!theta.is_floating_point()) throw new TypeError(`Expected theta to have floating point type, but got ${theta.dtype}`);
  const size: number[] = a.size;
  const ts = theta.shape;
  if (size.length === 4) {
    if (ts.length !== 3 || ts[1] !== 2 || ts[2] !== 3) throw new RangeError(`Expected a batch of 2D affine matrices of shape Nx2x3 for size [${size.join(', ')}]. Got [${ts.join(', ')}].`);
  } else if (size.length === 5) {
    if (ts.length !== 3 || ts[1] !== 3 || ts[2] !== 4) throw new RangeError(`Expected a batch of 3D affine matrices of shape Nx3x4 for size [${size.join(', ')}]. Got [${ts.join(', ')}].`);
  } else throw new RangeError(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size [${size.join(', ')}].`);
  if (Math.min(...size) <= 0) throw new RangeError(`Expected non-zero, positive output size. Got [${size.join(', ')}]`);
  return T(N.a_affine_grid_generator(ht, size, a.align_corners ?? false));
}
