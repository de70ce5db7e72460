/** PixelShuffle and PixelUnshuffle. */
import { Module } from '../module';
import { Tensor } from '../../tensor';
import * as F from '../functional/vision';
import { Args, parseArgs } from './utils';

/** (*, C·r², H, W) → (*, C, H·r, W·r). Args: upscale_factor. */
export class PixelShuffle extends Module {
  upscale_factor!: number;
  constructor(...args: Args<[upscale_factor: number], { upscale_factor: number }>) {
    super();
    this.upscale_factor = parseArgs('PixelShuffle', ['upscale_factor'], args, {}, 1).upscale_factor;
  }
  forward(input: Tensor): Tensor { return F.pixel_shuffle(input, this.upscale_factor); }
  extra_repr(): string { return `upscale_factor=${this.upscale_factor}`; }
}
/** (*, C, H·r, W·r) → (*, C·r², H, W). Args: downscale_factor. */
export class PixelUnshuffle extends Module {
  downscale_factor!: number;
  constructor(...args: Args<[downscale_factor: number], { downscale_factor: number }>) {
    super();
    this.downscale_factor = parseArgs('PixelUnshuffle', ['downscale_factor'], args, {}, 1).downscale_factor;
  }
  forward(input: Tensor): Tensor { return F.pixel_unshuffle(input, this.downscale_factor); }
  extra_repr(): string { return `downscale_factor=${this.downscale_factor}`; }
}
