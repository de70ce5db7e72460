/** Upsample, UpsamplingNearest2d, UpsamplingBilinear2d (F.interpolate). */
import { Module } from '../module';
import { Tensor } from '../../tensor';
import * as F from '../functional/vision';
import { Args, parseArgs, pyRepr, pyFloat } from './utils';

type UpO = { size: number | number[] | null; scale_factor: number | number[] | null; mode: string; align_corners: boolean | null; recompute_scale_factor: boolean | null };
/**
 * Upsamples (N, C, *spatial) data. Args: size=null, scale_factor=null, mode='nearest' (nearest,
 * linear, bilinear, bicubic, trilinear, area), align_corners=null, recompute_scale_factor=null.
 */
export class Upsample extends Module {
  size!: number | number[] | null;
  scale_factor!: number | number[] | null;
  mode!: string;
  align_corners!: boolean | null;
  recompute_scale_factor!: boolean | null;
  constructor(...args: Args<[size: number | number[] | null, scale_factor: number | number[] | null, mode: string, align_corners: boolean | null, recompute_scale_factor: boolean | null], UpO>) {
    super();
    const a = parseArgs(new.target.name, ['size', 'scale_factor', 'mode', 'align_corners', 'recompute_scale_factor'], args,
      { size: null, scale_factor: null, mode: 'nearest', align_corners: null, recompute_scale_factor: null });
    this.size = a.size;
    this.scale_factor = a.scale_factor ? a.scale_factor : null;
    this.mode = a.mode;
    this.align_corners = a.align_corners;
    this.recompute_scale_factor = a.recompute_scale_factor;
  }
  forward(input: Tensor): Tensor {
    return F.interpolate(input, this.size, this.scale_factor, this.mode, this.align_corners, { recompute_scale_factor: this.recompute_scale_factor });
  }
  extra_repr(): string {
    const sf = this.scale_factor;
    const info = sf !== null ? `scale_factor=${typeof sf === 'number' ? pyFloat(sf) : pyRepr(sf.map((v) => v))}` : `size=${pyRepr(this.size)}`;
    return `${info}, mode=${this.mode}`;
  }
}
/** 2-D nearest-neighbour upsampling. Args: size=null, scale_factor=null. */
export class UpsamplingNearest2d extends Upsample {
  constructor(...args: Args<[size: number | number[] | null, scale_factor: number | number[] | null], { size: number | number[] | null; scale_factor: number | number[] | null }>) {
    const a = parseArgs('UpsamplingNearest2d', ['size', 'scale_factor'], args, { size: null, scale_factor: null });
    super(a.size, a.scale_factor, 'nearest');
  }
}
/** 2-D bilinear upsampling with align_corners=true. Args: size=null, scale_factor=null. */
export class UpsamplingBilinear2d extends Upsample {
  constructor(...args: Args<[size: number | number[] | null, scale_factor: number | number[] | null], { size: number | number[] | null; scale_factor: number | number[] | null }>) {
    const a = parseArgs('UpsamplingBilinear2d', ['size', 'scale_factor'], args, { size: null, scale_factor: null });
    super(a.size, a.scale_factor, 'bilinear', true);
  }
}
