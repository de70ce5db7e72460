/**
 * nn.AdaptiveLogSoftmaxWithLoss (torch/nn/modules/adaptive.py): the efficient softmax
 * approximation of Grave et al. for large output spaces. The forward is PyTorch's, op for op.
 */
import * as torch from '../../generated/ops';
import { Tensor } from '../../tensor';
import { TorchError } from '../../errors';
import { Module } from '../module';
import { Linear } from './linear';
import { Sequential, ModuleList } from './container';
import { parseArgs, Args } from './utils';

/** The result of AdaptiveLogSoftmaxWithLoss: `output` (log-probability of each target) and `loss`. */
export class _ASMoutput {
  constructor(readonly output: Tensor, readonly loss: Tensor) {}
  *[Symbol.iterator](): IterableIterator<Tensor> {
    yield this.output;
    yield this.loss;
  }
}

/**
 * nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, cutoffs, div_value=4.0, head_bias=False,
 * device=None, dtype=None).
 *
 * Args:
 *   cutoffs: increasing class indices that split the classes into the head shortlist and the
 *     tail clusters (each in [1, n_classes - 1]).
 *   div_value: each cluster's projection size is in_features / div_value^(i+1).
 *
 * forward(input (N, in_features) or (in_features), target (N) or ()) → {output, loss}
 * (destructures as `const [output, loss] = asm(x, t)`); log_prob(input) → (N, n_classes);
 * predict(input) → (N).
 */
export class AdaptiveLogSoftmaxWithLoss extends Module {
  in_features!: number;
  n_classes!: number;
  cutoffs!: number[];
  div_value!: number;
  head_bias!: boolean;
  shortlist_size!: number;
  n_clusters!: number;
  head_size!: number;
  declare head: Linear;
  declare tail: ModuleList;

  constructor(...args: Args<[in_features: number, n_classes: number, cutoffs: number[], div_value: number, head_bias: boolean], {
    in_features: number; n_classes: number; cutoffs: number[]; div_value: number; head_bias: boolean; device: any; dtype: any;
  }>) {
    super();
    const f = 'AdaptiveLogSoftmaxWithLoss';
    const a = parseArgs(f, ['in_features', 'n_classes', 'cutoffs', 'div_value', 'head_bias', 'device', 'dtype'], args,
      { div_value: 4.0, head_bias: false, device: null, dtype: null }, 3);
    const fk = { device: a.device ?? null, dtype: a.dtype ?? null };
    for (const k of ['in_features', 'n_classes']) {
      if (typeof a[k] !== 'number' || !Number.isInteger(a[k])) throw new TypeError(`${f}: argument '${k}' must be int`);
    }
    if (!Array.isArray(a.cutoffs) && !(a.cutoffs && typeof a.cutoffs[Symbol.iterator] === 'function')) throw new TypeError(`${f}: argument 'cutoffs' must be a sequence of ints`);
    const cutoffs: number[] = [...a.cutoffs];
    const sorted = [...cutoffs].sort((x, y) => x - y);
    if (cutoffs.length === 0 || cutoffs.some((c, i) => c !== sorted[i]) || Math.min(...cutoffs) <= 0 || Math.max(...cutoffs) > a.n_classes - 1 ||
      new Set(cutoffs).size !== cutoffs.length || cutoffs.some((c) => !Number.isInteger(c))) {
      throw new RangeError(
        'cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where each value is between 1 and n_classes-1',
      );
    }
    this.in_features = a.in_features;
    this.n_classes = a.n_classes;
    this.cutoffs = [...cutoffs, a.n_classes];
    this.div_value = a.div_value;
    this.head_bias = a.head_bias;
    this.shortlist_size = this.cutoffs[0];
    this.n_clusters = this.cutoffs.length - 1;
    this.head_size = this.shortlist_size + this.n_clusters;
    this.head = new Linear(this.in_features, this.head_size, { bias: this.head_bias, ...fk });
    this.tail = new ModuleList();
    for (let i = 0; i < this.n_clusters; i++) {
      const hsz = Math.floor(this.in_features / this.div_value ** (i + 1));
      const osz = this.cutoffs[i + 1] - this.cutoffs[i];
      this.tail.append(new Sequential(new Linear(this.in_features, hsz, { bias: false, ...fk }), new Linear(hsz, osz, { bias: false, ...fk })));
    }
  }

  /** Re-draws the head and every tail projection. */
  reset_parameters(): void {
    this.head.reset_parameters();
    for (const seq of this.tail) for (const lin of seq as Sequential) (lin as Linear).reset_parameters();
  }

  forward(input_: Tensor, target_: Tensor): _ASMoutput {
    const targ_dim = target_.dim();
    if (targ_dim === 1) {
      if (input_.size(0) !== target_.size(0)) throw new TorchError('Input and target should have the same size in the batch dimension.');
      if (input_.dim() !== 2) throw new TorchError(`1D target tensor expects 2D input tensors, but found inputs with size torch.Size([${input_.shape.join(', ')}])`);
    } else if (targ_dim === 0) {
      if (input_.dim() !== 1) throw new TorchError(`0D target tensor expects 1D input tensors, but found inputs with size torch.Size([${input_.shape.join(', ')}])`);
    } else {
      throw new TorchError('0D or 1D target tensor expected, multi-target not supported');
    }
    const is_batched = targ_dim > 0;
    const input = is_batched ? input_ : input_.unsqueeze(0);
    const target = is_batched ? target_ : target_.unsqueeze(0);
    let used_rows = 0;
    const batch_size = target.size(0);
    let output = torch.zeros([batch_size], { dtype: input.dtype, device: input.device });
    const gather_inds = torch.empty([batch_size], { dtype: target.dtype, device: target.device });
    const cutoff_values = [0, ...this.cutoffs];
    for (let i = 0; i < cutoff_values.length - 1; i++) {
      const low_idx = cutoff_values[i];
      const high_idx = cutoff_values[i + 1];
      const target_mask = target.ge(low_idx).bitwise_and(target.lt(high_idx));
      const row_indices = target_mask.nonzero().squeeze();
      if (row_indices.numel() === 0) continue;
      if (i === 0) {
        gather_inds.index_copy_(0, row_indices, target.masked_select(target_mask));
      } else {
        const relative_target = target.masked_select(target_mask).sub(low_idx);
        const input_subset = input.index_select(0, row_indices);
        const cluster_output = this.tail.get(i - 1)(input_subset);
        const cluster_index = this.shortlist_size + i - 1;
        gather_inds.index_fill_(0, row_indices, cluster_index);
        const cluster_logprob = cluster_output.log_softmax(1);
        const local_logprob = cluster_logprob.gather(1, relative_target.unsqueeze(1));
        output = output.index_copy_(0, row_indices, local_logprob.squeeze(1));
      }
      used_rows += row_indices.numel();
    }
    if (used_rows !== batch_size) {
      throw new TorchError(
        `Target values should be in [0, ${this.n_classes - 1}], but values in range [${target.min().item()}, ${target.max().item()}] were found. `,
      );
    }
    const head_output = this.head(input);
    const head_logprob = head_output.log_softmax(1);
    output.add_(head_logprob.gather(1, gather_inds.unsqueeze(1)).squeeze());
    const loss = output.neg().mean();
    if (!is_batched) output = output.squeeze(0);
    return new _ASMoutput(output, loss);
  }

  /** @internal */
  _get_full_log_prob(input: Tensor, head_output: Tensor): Tensor {
    const out = torch.empty([head_output.size(0), this.n_classes], { dtype: input.dtype, device: input.device });
    const head_logprob = head_output.log_softmax(1);
    out.narrow(1, 0, this.shortlist_size).copy_(head_logprob.narrow(1, 0, this.shortlist_size));
    for (let i = 0; i < this.cutoffs.length - 1; i++) {
      const start_idx = this.cutoffs[i];
      const stop_idx = this.cutoffs[i + 1];
      const cluster_output = this.tail.get(i)(input);
      const cluster_logprob = cluster_output.log_softmax(1);
      const output_logprob = cluster_logprob.add(head_logprob.select(1, this.shortlist_size + i).unsqueeze(1));
      out.narrow(1, start_idx, stop_idx - start_idx).copy_(output_logprob);
    }
    return out;
  }

  /** The log-probabilities of every class: (N, in_features) → (N, n_classes). */
  log_prob(input: Tensor): Tensor {
    return this._get_full_log_prob(input, this.head(input));
  }

  /** The most likely class of each row: (N, in_features) → (N). */
  predict(input: Tensor): Tensor {
    const head_output = this.head(input);
    const output = head_output.argmax(1);
    const not_in_shortlist = output.ge(this.shortlist_size);
    const all_in_shortlist = !(not_in_shortlist.any().item() as boolean);
    if (all_in_shortlist) return output;
    if (not_in_shortlist.all().item()) {
      return this._get_full_log_prob(input, head_output).argmax(1);
    }
    const log_prob = this._get_full_log_prob(input.idx(not_in_shortlist), head_output.idx(not_in_shortlist));
    output.idx_put_(not_in_shortlist, log_prob.argmax(1));
    return output;
  }
}
