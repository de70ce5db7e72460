/**
 * Loss functions of torch.nn.functional (PyTorch 1.13's list). Each one makes the ATen call that
 * PyTorch's own Python function makes (`torch._C._nn.cross_entropy_loss`, `torch.kl_div`, …); the
 * few that PyTorch writes in Python (gaussian_nll_loss, multilabel_soft_margin_loss,
 * triplet_margin_with_distance_loss) are the same chain of ATen ops.
 *
 * `reduction` is 'none' | 'mean' | 'sum' (mapped to ATen's 0/1/2); the deprecated `size_average` and
 * `reduce` are accepted as in PyTorch.
 */
import * as torch from '../../generated/ops';
import { Tensor } from '../../tensor';
import { TorchError } from '../../errors';
import { no_grad } from '../../autograd/grad_mode';
import { parse_args, tensor, opt_tensor, int, float, bool, str, same_shape, size_str, warn_once } from '../utils/_args';

export type Reduction = 'none' | 'mean' | 'sum';

/** PyTorch's torch.nn._reduction helpers. */
export const _Reduction = {
  /** 'none' → 0, 'mean' → 1, 'sum' → 2 (ATen's Reduction enum); anything else is a RangeError. */
  get_enum(reduction: string): number {
    if (reduction === 'none') return 0;
    if (reduction === 'mean') return 1;
    if (reduction === 'elementwise_mean') {
      warn_once("reduction='elementwise_mean' is deprecated, please use reduction='mean' instead.");
      return 1;
    }
    if (reduction === 'sum') return 2;
    throw new RangeError(`${reduction} is not a valid value for reduction`);
  },
  /** The reduction string meant by the deprecated size_average/reduce pair. */
  legacy_get_string(size_average: boolean | null | undefined, reduce: boolean | null | undefined, emit_warning = true): Reduction {
    if (size_average === null || size_average === undefined) size_average = true;
    if (reduce === null || reduce === undefined) reduce = true;
    const ret: Reduction = size_average && reduce ? 'mean' : reduce ? 'sum' : 'none';
    if (emit_warning) warn_once(`size_average and reduce args will be deprecated, please use reduction='${ret}' instead.`);
    return ret;
  },
  legacy_get_enum(size_average: boolean | null | undefined, reduce: boolean | null | undefined, emit_warning = true): number {
    return _Reduction.get_enum(_Reduction.legacy_get_string(size_average, reduce, emit_warning));
  },
};

/** @internal The reduction string of a call, honouring the legacy arguments. */
function reductionOf(fname: string, a: Record<string, any>): string {
  if ((a.size_average !== null && a.size_average !== undefined) || (a.reduce !== null && a.reduce !== undefined)) {
    return _Reduction.legacy_get_string(a.size_average, a.reduce);
  }
  return str(fname, 'reduction', a.reduction);
}

function sizeWarning(input: Tensor, target: Tensor): void {
  const a = target.shape, b = input.shape;
  if (!same_shape(a, b)) {
    warn_once(
      `Using a target size (${size_str(a)}) that is different to the input size (${size_str(b)}). ` +
        'This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.',
    );
  }
}

const LEGACY = [['size_average', null], ['reduce', null], ['reduction', 'mean']] as const;

// ------------------------------------------------------------------ regression losses

/**
 * F.l1_loss(input, target, size_average=None, reduce=None, reduction='mean'): mean element-wise
 * absolute difference.
 *
 * Args:
 *   input: any shape. target: same shape as input.
 *   reduction: 'none' | 'mean' | 'sum'.
 */
export function l1_loss(input: Tensor, target: Tensor, options?: { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction }): Tensor;
export function l1_loss(...args: any[]): Tensor {
  const a = parse_args('l1_loss', ['input', 'target', ...LEGACY], args);
  const input = tensor('l1_loss', 'input', a.input), target = tensor('l1_loss', 'target', a.target);
  sizeWarning(input, target);
  const red = _Reduction.get_enum(reductionOf('l1_loss', a));
  const [ei, et] = torch.broadcast_tensors([input, target]);
  return torch._nn.l1_loss(ei, et, red);
}

/**
 * F.mse_loss(input, target, size_average=None, reduce=None, reduction='mean'): mean squared error.
 */
export function mse_loss(input: Tensor, target: Tensor, options?: { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction }): Tensor;
export function mse_loss(...args: any[]): Tensor {
  const a = parse_args('mse_loss', ['input', 'target', ...LEGACY], args);
  const input = tensor('mse_loss', 'input', a.input), target = tensor('mse_loss', 'target', a.target);
  sizeWarning(input, target);
  const red = _Reduction.get_enum(reductionOf('mse_loss', a));
  const [ei, et] = torch.broadcast_tensors([input, target]);
  return torch._nn.mse_loss(ei, et, red);
}

/**
 * F.huber_loss(input, target, reduction='mean', delta=1.0): squared term below `delta`, delta-scaled
 * L1 term above.
 */
export function huber_loss(input: Tensor, target: Tensor, options?: { reduction?: Reduction; delta?: number }): Tensor;
export function huber_loss(input: Tensor, target: Tensor, reduction?: Reduction, delta?: number): Tensor;
export function huber_loss(...args: any[]): Tensor {
  const a = parse_args('huber_loss', ['input', 'target', ['reduction', 'mean'], ['delta', 1.0]], args);
  const input = tensor('huber_loss', 'input', a.input), target = tensor('huber_loss', 'target', a.target);
  sizeWarning(input, target);
  const red = _Reduction.get_enum(str('huber_loss', 'reduction', a.reduction));
  const [ei, et] = torch.broadcast_tensors([input, target]);
  return torch._nn.huber_loss(ei, et, red, float('huber_loss', 'delta', a.delta));
}

/**
 * F.smooth_l1_loss(input, target, size_average=None, reduce=None, reduction='mean', beta=1.0).
 */
export function smooth_l1_loss(input: Tensor, target: Tensor, options?: { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction; beta?: number }): Tensor;
export function smooth_l1_loss(...args: any[]): Tensor {
  const a = parse_args('smooth_l1_loss', ['input', 'target', ...LEGACY, ['beta', 1.0]], args);
  const input = tensor('smooth_l1_loss', 'input', a.input), target = tensor('smooth_l1_loss', 'target', a.target);
  sizeWarning(input, target);
  const red = _Reduction.get_enum(reductionOf('smooth_l1_loss', a));
  const [ei, et] = torch.broadcast_tensors([input, target]);
  return torch._nn.smooth_l1_loss(ei, et, red, float('smooth_l1_loss', 'beta', a.beta));
}

// ------------------------------------------------------------------ classification losses

/**
 * F.cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
 * reduction='mean', label_smoothing=0.0).
 *
 * Args:
 *   input: unnormalized logits, (C), (N, C) or (N, C, d1, ...).
 *   target: class indices (int64, shape () / (N) / (N, d1, ...)) or class probabilities (same
 *     shape as input).
 *   weight: a manual rescaling weight per class, shape (C).
 *   ignore_index: a target value that does not contribute (class-index targets only).
 *   label_smoothing: in [0, 1].
 */
export function cross_entropy(
  input: Tensor, target: Tensor,
  options?: { weight?: Tensor | null; size_average?: boolean | null; ignore_index?: number; reduce?: boolean | null; reduction?: Reduction; label_smoothing?: number },
): Tensor;
export function cross_entropy(input: Tensor, target: Tensor, weight?: Tensor | null, ...rest: any[]): Tensor;
export function cross_entropy(...args: any[]): Tensor {
  const f = 'cross_entropy';
  const a = parse_args(f, ['input', 'target', ['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ['reduction', 'mean'], ['label_smoothing', 0.0]], args);
  return torch._nn.cross_entropy_loss(
    tensor(f, 'input', a.input), tensor(f, 'target', a.target), opt_tensor(f, 'weight', a.weight),
    _Reduction.get_enum(reductionOf(f, a)), int(f, 'ignore_index', a.ignore_index), float(f, 'label_smoothing', a.label_smoothing),
  );
}

/**
 * F.nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
 * reduction='mean'): negative log likelihood of log-probabilities `input` (N, C, ...).
 */
export function nll_loss(
  input: Tensor, target: Tensor,
  options?: { weight?: Tensor | null; size_average?: boolean | null; ignore_index?: number; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function nll_loss(input: Tensor, target: Tensor, weight?: Tensor | null, ...rest: any[]): Tensor;
export function nll_loss(...args: any[]): Tensor {
  const f = 'nll_loss';
  const a = parse_args(f, ['input', 'target', ['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ['reduction', 'mean']], args);
  return torch._nn.nll_loss_nd(
    tensor(f, 'input', a.input), tensor(f, 'target', a.target), opt_tensor(f, 'weight', a.weight),
    _Reduction.get_enum(reductionOf(f, a)), int(f, 'ignore_index', a.ignore_index),
  );
}

/**
 * F.poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
 * reduce=None, reduction='mean').
 */
export function poisson_nll_loss(
  input: Tensor, target: Tensor,
  options?: { log_input?: boolean; full?: boolean; size_average?: boolean | null; eps?: number; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function poisson_nll_loss(input: Tensor, target: Tensor, log_input?: boolean, full?: boolean, ...rest: any[]): Tensor;
export function poisson_nll_loss(...args: any[]): Tensor {
  const f = 'poisson_nll_loss';
  const a = parse_args(f, ['input', 'target', ['log_input', true], ['full', false], ['size_average', null], ['eps', 1e-8], ['reduce', null], ['reduction', 'mean']], args);
  const reduction = reductionOf(f, a);
  if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') throw new RangeError(`${reduction} is not valid`);
  return torch.poisson_nll_loss(
    tensor(f, 'input', a.input), tensor(f, 'target', a.target), bool(f, 'log_input', a.log_input), bool(f, 'full', a.full),
    float(f, 'eps', a.eps), _Reduction.get_enum(reduction),
  );
}

/**
 * F.gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction='mean'): negative log
 * likelihood of `target` under Gaussians with mean `input` and variance `var` (same shape as
 * input, or one fewer dimension, or a last dimension of 1).
 */
export function gaussian_nll_loss(input: Tensor, target: Tensor, vr: Tensor, options?: { full?: boolean; eps?: number; reduction?: Reduction }): Tensor;
export function gaussian_nll_loss(input: Tensor, target: Tensor, vr: Tensor, full?: boolean, eps?: number, reduction?: Reduction): Tensor;
export function gaussian_nll_loss(...args: any[]): Tensor {
  const f = 'gaussian_nll_loss';
  const a = parse_args(f, ['input', 'target', 'var', ['full', false], ['eps', 1e-6], ['reduction', 'mean']], args);
  const input = tensor(f, 'input', a.input), target = tensor(f, 'target', a.target);
  let v = tensor(f, 'var', a.var);
  const vs = v.shape, is = input.shape;
  if (!same_shape(vs, is)) {
    if (same_shape(is.slice(0, -1), vs)) v = torch.unsqueeze(v, -1);
    else if (same_shape(is.slice(0, -1), vs.slice(0, -1)) && vs[vs.length - 1] === 1) {
      // heteroscedastic case
    } else throw new TorchError('var is of incorrect size');
  }
  const reduction = str(f, 'reduction', a.reduction);
  if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') throw new RangeError(`${reduction} is not valid`);
  if (torch.any(v.lt(0)).item()) throw new RangeError('var has negative entry/entries');
  const eps = float(f, 'eps', a.eps);
  // As PyTorch: clamp a clone in place under no_grad, so the gradient flows to var unclamped.
  v = v.clone();
  const vc = v;
  no_grad(() => vc.clamp_({ min: eps }));
  let loss = torch.log(v).add(input.sub(target).pow(2).div(v)).mul(0.5);
  if (bool(f, 'full', a.full)) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  return loss;
}

/**
 * F.kl_div(input, target, size_average=None, reduce=None, reduction='mean', log_target=False):
 * Kullback-Leibler divergence of log-probabilities `input` from `target`. reduction may also be
 * 'batchmean' (sum divided by the batch size).
 */
export function kl_div(
  input: Tensor, target: Tensor,
  options?: { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction | 'batchmean'; log_target?: boolean },
): Tensor;
export function kl_div(...args: any[]): Tensor {
  const f = 'kl_div';
  const a = parse_args(f, ['input', 'target', ...LEGACY, ['log_target', false]], args);
  const input = tensor(f, 'input', a.input), target = tensor(f, 'target', a.target);
  let red: number;
  const reduction = str(f, 'reduction', a.reduction);
  if ((a.size_average !== null && a.size_average !== undefined) || (a.reduce !== null && a.reduce !== undefined)) {
    red = _Reduction.legacy_get_enum(a.size_average, a.reduce);
  } else {
    if (reduction === 'mean') {
      warn_once(
        "reduction: 'mean' divides the total loss by both the batch size and the support size." +
          "'batchmean' divides only by the batch size, and aligns with the KL div math definition." +
          "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
      );
    }
    red = _Reduction.get_enum(reduction === 'batchmean' ? 'sum' : reduction);
  }
  let reduced = torch.kl_div(input, target, red, { log_target: bool(f, 'log_target', a.log_target) });
  if (reduction === 'batchmean' && input.dim() !== 0) reduced = reduced.div(input.size(0));
  return reduced;
}

/**
 * F.binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
 * reduction='mean'): input holds probabilities; target has the same shape.
 */
export function binary_cross_entropy(
  input: Tensor, target: Tensor,
  options?: { weight?: Tensor | null; size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function binary_cross_entropy(input: Tensor, target: Tensor, weight?: Tensor | null, ...rest: any[]): Tensor;
export function binary_cross_entropy(...args: any[]): Tensor {
  const f = 'binary_cross_entropy';
  const a = parse_args(f, ['input', 'target', ['weight', null], ...LEGACY], args);
  const input = tensor(f, 'input', a.input), target = tensor(f, 'target', a.target);
  let weight = opt_tensor(f, 'weight', a.weight);
  const red = _Reduction.get_enum(reductionOf(f, a));
  if (!same_shape(target.shape, input.shape)) {
    throw new TorchError(
      `Using a target size (${size_str(target.shape)}) that is different to the input size (${size_str(input.shape)}) is deprecated. ` +
        'Please ensure they have the same size.',
    );
  }
  if (weight !== null) weight = weight.expand(inferSize(target.shape, weight.shape));
  return torch._nn.binary_cross_entropy(input, target, weight, red);
}

/** torch._C._infer_size: the broadcast shape of two shapes, or a TorchError. */
function inferSize(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    const o = n - 1 - i;
    const da = a.length - 1 - o >= 0 ? a[a.length - 1 - o] : 1;
    const db = b.length - 1 - o >= 0 ? b[b.length - 1 - o] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new TorchError(`The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * F.binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
 * reduction='mean', pos_weight=None): sigmoid + BCE in one numerically stable op. `pos_weight`
 * weighs positive examples per class.
 */
export function binary_cross_entropy_with_logits(
  input: Tensor, target: Tensor,
  options?: { weight?: Tensor | null; size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction; pos_weight?: Tensor | null },
): Tensor;
export function binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight?: Tensor | null, ...rest: any[]): Tensor;
export function binary_cross_entropy_with_logits(...args: any[]): Tensor {
  const f = 'binary_cross_entropy_with_logits';
  const a = parse_args(f, ['input', 'target', ['weight', null], ...LEGACY, ['pos_weight', null]], args);
  const input = tensor(f, 'input', a.input), target = tensor(f, 'target', a.target);
  const red = _Reduction.get_enum(reductionOf(f, a));
  if (!same_shape(target.shape, input.shape)) {
    throw new TorchError(`Target size (${size_str(target.shape)}) must be the same as input size (${size_str(input.shape)})`);
  }
  return torch.binary_cross_entropy_with_logits(input, target, opt_tensor(f, 'weight', a.weight), opt_tensor(f, 'pos_weight', a.pos_weight), red);
}

// ------------------------------------------------------------------ margin and embedding losses

/** F.margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'). */
export function margin_ranking_loss(
  input1: Tensor, input2: Tensor, target: Tensor,
  options?: { margin?: number; size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin?: number, ...rest: any[]): Tensor;
export function margin_ranking_loss(...args: any[]): Tensor {
  const f = 'margin_ranking_loss';
  const a = parse_args(f, ['input1', 'input2', 'target', ['margin', 0], ...LEGACY], args);
  const i1 = tensor(f, 'input1', a.input1), i2 = tensor(f, 'input2', a.input2), t = tensor(f, 'target', a.target);
  const red = _Reduction.get_enum(reductionOf(f, a));
  if (i1.dim() !== i2.dim() || i1.dim() !== t.dim()) {
    throw new TorchError(
      'margin_ranking_loss : All input tensors should have same dimension but got sizes: ' +
        `input1: ${size_str(i1.shape)}, input2: ${size_str(i2.shape)}, target: ${size_str(t.shape)} `,
    );
  }
  return torch.margin_ranking_loss(i1, i2, t, float(f, 'margin', a.margin), red);
}

/** F.hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean'). */
export function hinge_embedding_loss(
  input: Tensor, target: Tensor,
  options?: { margin?: number; size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function hinge_embedding_loss(input: Tensor, target: Tensor, margin?: number, ...rest: any[]): Tensor;
export function hinge_embedding_loss(...args: any[]): Tensor {
  const f = 'hinge_embedding_loss';
  const a = parse_args(f, ['input', 'target', ['margin', 1.0], ...LEGACY], args);
  const red = _Reduction.get_enum(reductionOf(f, a));
  return torch.hinge_embedding_loss(tensor(f, 'input', a.input), tensor(f, 'target', a.target), float(f, 'margin', a.margin), red);
}

/** F.multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction='mean'). */
export function multilabel_margin_loss(
  input: Tensor, target: Tensor,
  options?: { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function multilabel_margin_loss(...args: any[]): Tensor {
  const f = 'multilabel_margin_loss';
  const a = parse_args(f, ['input', 'target', ...LEGACY], args);
  const red = _Reduction.get_enum(reductionOf(f, a));
  return torch._nn.multilabel_margin_loss(tensor(f, 'input', a.input), tensor(f, 'target', a.target), red);
}

/** F.soft_margin_loss(input, target, size_average=None, reduce=None, reduction='mean'). */
export function soft_margin_loss(
  input: Tensor, target: Tensor,
  options?: { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function soft_margin_loss(...args: any[]): Tensor {
  const f = 'soft_margin_loss';
  const a = parse_args(f, ['input', 'target', ...LEGACY], args);
  const red = _Reduction.get_enum(reductionOf(f, a));
  return torch._nn.soft_margin_loss(tensor(f, 'input', a.input), tensor(f, 'target', a.target), red);
}

/**
 * F.multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
 * reduction='mean'): one-versus-all logistic loss over the last (class) dimension.
 */
export function multilabel_soft_margin_loss(
  input: Tensor, target: Tensor,
  options?: { weight?: Tensor | null; size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight?: Tensor | null, ...rest: any[]): Tensor;
export function multilabel_soft_margin_loss(...args: any[]): Tensor {
  const f = 'multilabel_soft_margin_loss';
  const a = parse_args(f, ['input', 'target', ['weight', null], ...LEGACY], args);
  const input = tensor(f, 'input', a.input), target = tensor(f, 'target', a.target);
  const weight = opt_tensor(f, 'weight', a.weight);
  const reduction = reductionOf(f, a);
  const ls = torch._nn.log_sigmoid;
  // -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
  let loss = target.mul(ls(input)).add(target.neg().add(1).mul(ls(input.neg()))).neg();
  if (weight !== null) loss = loss.mul(weight);
  const classDim = input.dim() - 1;
  const C = input.size(classDim);
  loss = loss.sum(classDim).div(C);
  if (reduction === 'none') return loss;
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  throw new RangeError(`${reduction} is not valid`);
}

/** F.cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'). */
export function cosine_embedding_loss(
  input1: Tensor, input2: Tensor, target: Tensor,
  options?: { margin?: number; size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin?: number, ...rest: any[]): Tensor;
export function cosine_embedding_loss(...args: any[]): Tensor {
  const f = 'cosine_embedding_loss';
  const a = parse_args(f, ['input1', 'input2', 'target', ['margin', 0], ...LEGACY], args);
  const red = _Reduction.get_enum(reductionOf(f, a));
  return torch.cosine_embedding_loss(
    tensor(f, 'input1', a.input1), tensor(f, 'input2', a.input2), tensor(f, 'target', a.target), float(f, 'margin', a.margin), red,
  );
}

/**
 * F.multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
 * reduction='mean'): multi-class hinge loss; p is 1 or 2.
 */
export function multi_margin_loss(
  input: Tensor, target: Tensor,
  options?: { p?: number; margin?: number; weight?: Tensor | null; size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function multi_margin_loss(input: Tensor, target: Tensor, p?: number, margin?: number, weight?: Tensor | null, ...rest: any[]): Tensor;
export function multi_margin_loss(...args: any[]): Tensor {
  const f = 'multi_margin_loss';
  const a = parse_args(f, ['input', 'target', ['p', 1], ['margin', 1.0], ['weight', null], ...LEGACY], args);
  const red = _Reduction.get_enum(reductionOf(f, a));
  const p = int(f, 'p', a.p);
  if (p !== 1 && p !== 2) throw new RangeError('only p == 1 and p == 2 supported');
  const weight = opt_tensor(f, 'weight', a.weight);
  if (weight !== null && weight.dim() !== 1) throw new TorchError('weight must be one-dimensional');
  return torch._nn.multi_margin_loss(tensor(f, 'input', a.input), tensor(f, 'target', a.target), p, float(f, 'margin', a.margin), weight, red);
}

/**
 * F.triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
 * size_average=None, reduce=None, reduction='mean').
 */
export function triplet_margin_loss(
  anchor: Tensor, positive: Tensor, negative: Tensor,
  options?: { margin?: number; p?: number; eps?: number; swap?: boolean; size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction },
): Tensor;
export function triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin?: number, p?: number, eps?: number, swap?: boolean, ...rest: any[]): Tensor;
export function triplet_margin_loss(...args: any[]): Tensor {
  const f = 'triplet_margin_loss';
  const a = parse_args(f, ['anchor', 'positive', 'negative', ['margin', 1.0], ['p', 2], ['eps', 1e-6], ['swap', false], ...LEGACY], args);
  const red = _Reduction.get_enum(reductionOf(f, a));
  return torch.triplet_margin_loss(
    tensor(f, 'anchor', a.anchor), tensor(f, 'positive', a.positive), tensor(f, 'negative', a.negative),
    float(f, 'margin', a.margin), float(f, 'p', a.p), float(f, 'eps', a.eps), bool(f, 'swap', a.swap), red,
  );
}

/**
 * F.triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
 * margin=1.0, swap=False, reduction='mean'): the triplet loss with any distance function
 * (default F.pairwise_distance).
 */
export function triplet_margin_with_distance_loss(
  anchor: Tensor, positive: Tensor, negative: Tensor,
  options?: { distance_function?: ((a: Tensor, b: Tensor) => Tensor) | null; margin?: number; swap?: boolean; reduction?: Reduction },
): Tensor;
export function triplet_margin_with_distance_loss(...args: any[]): Tensor {
  const f = 'triplet_margin_with_distance_loss';
  const a = parse_args(f, ['anchor', 'positive', 'negative', '*', ['distance_function', null], ['margin', 1.0], ['swap', false], ['reduction', 'mean']], args);
  const anchor = tensor(f, 'anchor', a.anchor), positive = tensor(f, 'positive', a.positive), negative = tensor(f, 'negative', a.negative);
  if (a.distance_function !== null && typeof a.distance_function !== 'function') {
    throw new TypeError(`${f}(): argument 'distance_function' must be a function, not ${typeof a.distance_function}`);
  }
  const dist: (x: Tensor, y: Tensor) => Tensor = a.distance_function ?? ((x: Tensor, y: Tensor) => torch.pairwise_distance(x, y));
  const positive_dist = dist(anchor, positive);
  let negative_dist = dist(anchor, negative);
  if (bool(f, 'swap', a.swap)) negative_dist = torch.min(negative_dist, dist(positive, negative));
  const output = torch.clamp(positive_dist.sub(negative_dist).add(float(f, 'margin', a.margin)), 0.0);
  const red = _Reduction.get_enum(str(f, 'reduction', a.reduction));
  if (red === 1) return output.mean();
  if (red === 2) return output.sum();
  return output;
}

/**
 * F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction='mean',
 * zero_infinity=False): the Connectionist Temporal Classification loss.
 *
 * Args:
 *   log_probs: (T, N, C) or (T, C) log-probabilities. targets: (N, S) or the concatenated targets.
 *   input_lengths, target_lengths: (N) tensors or arrays of lengths.
 */
export function ctc_loss(
  log_probs: Tensor, targets: Tensor, input_lengths: Tensor | number[], target_lengths: Tensor | number[],
  options?: { blank?: number; reduction?: Reduction; zero_infinity?: boolean },
): Tensor;
export function ctc_loss(
  log_probs: Tensor, targets: Tensor, input_lengths: Tensor | number[], target_lengths: Tensor | number[],
  blank?: number, reduction?: Reduction, zero_infinity?: boolean,
): Tensor;
export function ctc_loss(...args: any[]): Tensor {
  const f = 'ctc_loss';
  const a = parse_args(f, ['log_probs', 'targets', 'input_lengths', 'target_lengths', ['blank', 0], ['reduction', 'mean'], ['zero_infinity', false]], args);
  const red = _Reduction.get_enum(str(f, 'reduction', a.reduction));
  const il = a.input_lengths, tl = a.target_lengths;
  const isLen = (v: unknown) => v instanceof Tensor || (Array.isArray(v) && v.every((x) => Number.isInteger(x)));
  if (!isLen(il)) throw new TypeError(`${f}(): argument 'input_lengths' must be Tensor or a list of ints`);
  if (!isLen(tl)) throw new TypeError(`${f}(): argument 'target_lengths' must be Tensor or a list of ints`);
  if ((il instanceof Tensor) !== (tl instanceof Tensor)) {
    throw new TypeError(`${f}(): input_lengths and target_lengths must both be Tensors or both be lists of ints`);
  }
  return (torch.ctc_loss as any)(
    tensor(f, 'log_probs', a.log_probs), tensor(f, 'targets', a.targets), il, tl, int(f, 'blank', a.blank), red, bool(f, 'zero_infinity', a.zero_infinity),
  );
}
