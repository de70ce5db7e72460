/** ChannelShuffle (what the tutorial's `torch.shuffle` means): regroups channels as ShuffleNet does. */
import { Module } from '../module';
import { Tensor } from '../../tensor';
import * as F from '../functional/vision';
import { Args, parseArgs } from './utils';

/**
 * Splits the channels of (N, C, *) into `groups` groups and interleaves them.
 * Example: new nn.ChannelShuffle(2)(torch.randn(10, 64, 32, 32))
 */
export class ChannelShuffle extends Module {
  groups!: number;
  constructor(...args: Args<[groups: number], { groups: number }>) {
    super();
    this.groups = parseArgs('ChannelShuffle', ['groups'], args, {}, 1).groups;
  }
  forward(input: Tensor): Tensor { return F.channel_shuffle(input, this.groups); }
  extra_repr(): string { return `groups=${this.groups}`; }
}
