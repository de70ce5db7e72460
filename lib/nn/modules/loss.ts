/**
 * Loss modules (torch/nn/modules/loss.py): each holds its options (and, for the weighted losses,
 * a `weight` buffer) and calls the matching function of nn.functional.
 */
import { Tensor } from '../../tensor';
import { Module } from '../module';
import { parseArgs, Args } from './utils';
import * as F from '../functional/loss';
import { _Reduction, Reduction } from '../functional/loss';
import { pairwise_distance } from '../functional/distance';

type Legacy = { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction };

function checkTensorOrNull(v: unknown, name: string, f: string): Tensor | null {
  if (v === null || v === undefined) return null;
  if (!(v instanceof Tensor)) throw new TypeError(`${f}: argument '${name}' must be Tensor or None`);
  return v;
}
function checkNum(v: unknown, name: string, f: string): number {
  if (typeof v !== 'number') throw new TypeError(`${f}: argument '${name}' must be float, not ${typeof v}`);
  return v;
}
function checkB(v: unknown, name: string, f: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${f}: argument '${name}' must be bool, not ${typeof v}`);
  return v;
}
function checkReduction(v: unknown, f: string): string {
  if (typeof v !== 'string') throw new TypeError(`${f}: argument 'reduction' must be str, not ${typeof v}`);
  return v;
}

/** Base class of the losses (torch.nn.modules.loss._Loss): holds `reduction`. */
export class _Loss extends Module {
  reduction!: string;
  /** @internal */
  _initLoss(f: string, a: Record<string, any>): void {
    if ((a.size_average !== null && a.size_average !== undefined) || (a.reduce !== null && a.reduce !== undefined)) {
      this.reduction = _Reduction.legacy_get_string(a.size_average, a.reduce);
    } else {
      this.reduction = checkReduction(a.reduction ?? 'mean', f);
    }
  }
}

/** Base class of the losses with a per-class `weight` buffer (torch.nn.modules.loss._WeightedLoss). */
export class _WeightedLoss extends _Loss {
  declare weight: Tensor | null;
  /** @internal */
  _initWeighted(f: string, a: Record<string, any>): void {
    this._initLoss(f, a);
    this.register_buffer('weight', checkTensorOrNull(a.weight, 'weight', f));
  }
}

const LEGACY_NAMES = ['size_average', 'reduce', 'reduction'];
const LEGACY_DEFAULTS = { size_average: null, reduce: null, reduction: 'mean' };

/**
 * nn.L1Loss(size_average=None, reduce=None, reduction='mean'): mean absolute error.
 * Shape: input (*), target (*) → scalar, or (*) with reduction 'none'.
 */
export class L1Loss extends _Loss {
  constructor(...args: Args<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy>);
  constructor(...args: any[]) {
    super();
    this._initLoss('L1Loss', parseArgs('L1Loss', LEGACY_NAMES, args, LEGACY_DEFAULTS));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.l1_loss(input, target, { reduction: this.reduction as Reduction });
  }
}

/**
 * nn.NLLLoss(weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'):
 * negative log likelihood of log-probabilities.
 * Shape: input (N, C) / (C) / (N, C, d1, ...), target (N) / () / (N, d1, ...) class indices.
 */
export class NLLLoss extends _WeightedLoss {
  ignore_index!: number;
  constructor(...args: Args<[weight: Tensor | null, size_average: boolean | null, ignore_index: number, reduce: boolean | null, reduction: Reduction], Legacy & { weight?: Tensor | null; ignore_index?: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'NLLLoss';
    const a = parseArgs(f, ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'], args, { weight: null, ignore_index: -100, ...LEGACY_DEFAULTS });
    this._initWeighted(f, a);
    this.ignore_index = a.ignore_index;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.nll_loss(input, target, { weight: this.weight, ignore_index: this.ignore_index, reduction: this.reduction as Reduction });
  }
}

/**
 * nn.PoissonNLLLoss(log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
 * reduction='mean'): negative log likelihood of a Poisson target.
 */
export class PoissonNLLLoss extends _Loss {
  log_input!: boolean;
  full!: boolean;
  eps!: number;
  constructor(...args: Args<[log_input: boolean, full: boolean, size_average: boolean | null, eps: number, reduce: boolean | null, reduction: Reduction], Legacy & { log_input?: boolean; full?: boolean; eps?: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'PoissonNLLLoss';
    const a = parseArgs(f, ['log_input', 'full', 'size_average', 'eps', 'reduce', 'reduction'], args, { log_input: true, full: false, eps: 1e-8, ...LEGACY_DEFAULTS });
    this._initLoss(f, a);
    this.log_input = checkB(a.log_input, 'log_input', f);
    this.full = checkB(a.full, 'full', f);
    this.eps = checkNum(a.eps, 'eps', f);
  }
  forward(log_input: Tensor, target: Tensor): Tensor {
    return F.poisson_nll_loss(log_input, target, { log_input: this.log_input, full: this.full, eps: this.eps, reduction: this.reduction as Reduction });
  }
}

/**
 * nn.GaussianNLLLoss(*, full=False, eps=1e-6, reduction='mean'): forward(input, target, var).
 */
export class GaussianNLLLoss extends _Loss {
  full!: boolean;
  eps!: number;
  constructor(options?: { full?: boolean; eps?: number; reduction?: Reduction });
  constructor(...args: any[]) {
    super();
    const f = 'GaussianNLLLoss';
    if (args.length > 1 || (args.length === 1 && (args[0] === null || typeof args[0] !== 'object'))) {
      throw new TypeError(`${f}() takes 0 positional arguments (full, eps and reduction are keyword-only)`);
    }
    const a = parseArgs(f, ['full', 'eps', 'reduction'], args, { full: false, eps: 1e-6, reduction: 'mean' });
    this._initLoss(f, a);
    this.full = checkB(a.full, 'full', f);
    this.eps = checkNum(a.eps, 'eps', f);
  }
  forward(input: Tensor, target: Tensor, vr: Tensor): Tensor {
    return F.gaussian_nll_loss(input, target, vr, { full: this.full, eps: this.eps, reduction: this.reduction as Reduction });
  }
}

/**
 * nn.KLDivLoss(size_average=None, reduce=None, reduction='mean', log_target=False): the
 * Kullback-Leibler divergence; reduction may also be 'batchmean'.
 */
export class KLDivLoss extends _Loss {
  log_target!: boolean;
  constructor(...args: Args<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction | 'batchmean', log_target: boolean], { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction | 'batchmean'; log_target?: boolean }>);
  constructor(...args: any[]) {
    super();
    const f = 'KLDivLoss';
    const a = parseArgs(f, [...LEGACY_NAMES, 'log_target'], args, { ...LEGACY_DEFAULTS, log_target: false });
    this._initLoss(f, a);
    this.log_target = checkB(a.log_target, 'log_target', f);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.kl_div(input, target, { reduction: this.reduction as Reduction, log_target: this.log_target });
  }
}

/** nn.MSELoss(size_average=None, reduce=None, reduction='mean'): mean squared error. */
export class MSELoss extends _Loss {
  constructor(...args: Args<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy>);
  constructor(...args: any[]) {
    super();
    this._initLoss('MSELoss', parseArgs('MSELoss', LEGACY_NAMES, args, LEGACY_DEFAULTS));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mse_loss(input, target, { reduction: this.reduction as Reduction });
  }
}

/**
 * nn.BCELoss(weight=None, size_average=None, reduce=None, reduction='mean'): binary cross entropy
 * of probabilities.
 */
export class BCELoss extends _WeightedLoss {
  constructor(...args: Args<[weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy & { weight?: Tensor | null }>);
  constructor(...args: any[]) {
    super();
    const f = 'BCELoss';
    this._initWeighted(f, parseArgs(f, ['weight', ...LEGACY_NAMES], args, { weight: null, ...LEGACY_DEFAULTS }));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy(input, target, { weight: this.weight, reduction: this.reduction as Reduction });
  }
}

/**
 * nn.BCEWithLogitsLoss(weight=None, size_average=None, reduce=None, reduction='mean',
 * pos_weight=None): sigmoid and binary cross entropy in one stable op.
 */
export class BCEWithLogitsLoss extends _Loss {
  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;
  constructor(...args: Args<[weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction, pos_weight: Tensor | null], Legacy & { weight?: Tensor | null; pos_weight?: Tensor | null }>);
  constructor(...args: any[]) {
    super();
    const f = 'BCEWithLogitsLoss';
    const a = parseArgs(f, ['weight', ...LEGACY_NAMES, 'pos_weight'], args, { weight: null, ...LEGACY_DEFAULTS, pos_weight: null });
    this._initLoss(f, a);
    this.register_buffer('weight', checkTensorOrNull(a.weight, 'weight', f));
    this.register_buffer('pos_weight', checkTensorOrNull(a.pos_weight, 'pos_weight', f));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy_with_logits(input, target, { weight: this.weight, pos_weight: this.pos_weight, reduction: this.reduction as Reduction });
  }
}

/** nn.HingeEmbeddingLoss(margin=1.0, size_average=None, reduce=None, reduction='mean'). */
export class HingeEmbeddingLoss extends _Loss {
  margin!: number;
  constructor(...args: Args<[margin: number, size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy & { margin?: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'HingeEmbeddingLoss';
    const a = parseArgs(f, ['margin', ...LEGACY_NAMES], args, { margin: 1.0, ...LEGACY_DEFAULTS });
    this._initLoss(f, a);
    this.margin = checkNum(a.margin, 'margin', f);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.hinge_embedding_loss(input, target, { margin: this.margin, reduction: this.reduction as Reduction });
  }
}

/** nn.MultiLabelMarginLoss(size_average=None, reduce=None, reduction='mean'). */
export class MultiLabelMarginLoss extends _Loss {
  constructor(...args: Args<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy>);
  constructor(...args: any[]) {
    super();
    this._initLoss('MultiLabelMarginLoss', parseArgs('MultiLabelMarginLoss', LEGACY_NAMES, args, LEGACY_DEFAULTS));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.multilabel_margin_loss(input, target, { reduction: this.reduction as Reduction });
  }
}

/** nn.SmoothL1Loss(size_average=None, reduce=None, reduction='mean', beta=1.0). */
export class SmoothL1Loss extends _Loss {
  beta!: number;
  constructor(...args: Args<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction, beta: number], Legacy & { beta?: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'SmoothL1Loss';
    const a = parseArgs(f, [...LEGACY_NAMES, 'beta'], args, { ...LEGACY_DEFAULTS, beta: 1.0 });
    this._initLoss(f, a);
    this.beta = checkNum(a.beta, 'beta', f);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.smooth_l1_loss(input, target, { reduction: this.reduction as Reduction, beta: this.beta });
  }
}

/** nn.HuberLoss(reduction='mean', delta=1.0). */
export class HuberLoss extends _Loss {
  delta!: number;
  constructor(...args: Args<[reduction: Reduction, delta: number], { reduction?: Reduction; delta?: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'HuberLoss';
    const a = parseArgs(f, ['reduction', 'delta'], args, { reduction: 'mean', delta: 1.0 });
    this._initLoss(f, a);
    this.delta = checkNum(a.delta, 'delta', f);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.huber_loss(input, target, { reduction: this.reduction as Reduction, delta: this.delta });
  }
}

/** nn.SoftMarginLoss(size_average=None, reduce=None, reduction='mean'). */
export class SoftMarginLoss extends _Loss {
  constructor(...args: Args<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy>);
  constructor(...args: any[]) {
    super();
    this._initLoss('SoftMarginLoss', parseArgs('SoftMarginLoss', LEGACY_NAMES, args, LEGACY_DEFAULTS));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.soft_margin_loss(input, target, { reduction: this.reduction as Reduction });
  }
}

/**
 * nn.CrossEntropyLoss(weight=None, size_average=None, ignore_index=-100, reduce=None,
 * reduction='mean', label_smoothing=0.0): log_softmax and nll_loss in one; targets are class
 * indices or class probabilities.
 *
 * Example:
 *   const criterion = new nn.CrossEntropyLoss();
 *   const loss = criterion(torch.randn(10, 5), torch.tensor([1, 3, 0, 2, 4, 1, 3, 0, 2, 4], {dtype: torch.long}));
 */
export class CrossEntropyLoss extends _WeightedLoss {
  ignore_index!: number;
  label_smoothing!: number;
  constructor(...args: Args<[weight: Tensor | null, size_average: boolean | null, ignore_index: number, reduce: boolean | null, reduction: Reduction, label_smoothing: number], Legacy & { weight?: Tensor | null; ignore_index?: number; label_smoothing?: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'CrossEntropyLoss';
    const a = parseArgs(f, ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction', 'label_smoothing'], args,
      { weight: null, ignore_index: -100, ...LEGACY_DEFAULTS, label_smoothing: 0.0 });
    this._initWeighted(f, a);
    this.ignore_index = a.ignore_index;
    this.label_smoothing = checkNum(a.label_smoothing, 'label_smoothing', f);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.cross_entropy(input, target, {
      weight: this.weight, ignore_index: this.ignore_index, reduction: this.reduction as Reduction, label_smoothing: this.label_smoothing,
    });
  }
}

/** nn.MultiLabelSoftMarginLoss(weight=None, size_average=None, reduce=None, reduction='mean'). */
export class MultiLabelSoftMarginLoss extends _WeightedLoss {
  constructor(...args: Args<[weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy & { weight?: Tensor | null }>);
  constructor(...args: any[]) {
    super();
    const f = 'MultiLabelSoftMarginLoss';
    this._initWeighted(f, parseArgs(f, ['weight', ...LEGACY_NAMES], args, { weight: null, ...LEGACY_DEFAULTS }));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.multilabel_soft_margin_loss(input, target, { weight: this.weight, reduction: this.reduction as Reduction });
  }
}

/** nn.CosineEmbeddingLoss(margin=0.0, size_average=None, reduce=None, reduction='mean'). */
export class CosineEmbeddingLoss extends _Loss {
  margin!: number;
  constructor(...args: Args<[margin: number, size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy & { margin?: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'CosineEmbeddingLoss';
    const a = parseArgs(f, ['margin', ...LEGACY_NAMES], args, { margin: 0.0, ...LEGACY_DEFAULTS });
    this._initLoss(f, a);
    this.margin = checkNum(a.margin, 'margin', f);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.cosine_embedding_loss(input1, input2, target, { margin: this.margin, reduction: this.reduction as Reduction });
  }
}

/** nn.MarginRankingLoss(margin=0.0, size_average=None, reduce=None, reduction='mean'). */
export class MarginRankingLoss extends _Loss {
  margin!: number;
  constructor(...args: Args<[margin: number, size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy & { margin?: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'MarginRankingLoss';
    const a = parseArgs(f, ['margin', ...LEGACY_NAMES], args, { margin: 0.0, ...LEGACY_DEFAULTS });
    this._initLoss(f, a);
    this.margin = checkNum(a.margin, 'margin', f);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.margin_ranking_loss(input1, input2, target, { margin: this.margin, reduction: this.reduction as Reduction });
  }
}

/**
 * nn.MultiMarginLoss(p=1, margin=1.0, weight=None, size_average=None, reduce=None,
 * reduction='mean'): multi-class hinge loss.
 */
export class MultiMarginLoss extends _WeightedLoss {
  p!: number;
  margin!: number;
  constructor(...args: Args<[p: number, margin: number, weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy & { p?: number; margin?: number; weight?: Tensor | null }>);
  constructor(...args: any[]) {
    super();
    const f = 'MultiMarginLoss';
    const a = parseArgs(f, ['p', 'margin', 'weight', ...LEGACY_NAMES], args, { p: 1, margin: 1.0, weight: null, ...LEGACY_DEFAULTS });
    this._initWeighted(f, a);
    if (a.p !== 1 && a.p !== 2) throw new RangeError('only p == 1 and p == 2 supported');
    if (this.weight !== null && this.weight.dim() !== 1) {
      throw new RangeError(`MultiMarginLoss: expected weight to be None or 1D tensor, got ${this.weight.dim()}D instead`);
    }
    this.p = a.p;
    this.margin = checkNum(a.margin, 'margin', f);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.multi_margin_loss(input, target, { p: this.p, margin: this.margin, weight: this.weight, reduction: this.reduction as Reduction });
  }
}

/**
 * nn.TripletMarginLoss(margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None, reduce=None,
 * reduction='mean'): forward(anchor, positive, negative).
 */
export class TripletMarginLoss extends _Loss {
  margin!: number;
  p!: number;
  eps!: number;
  swap!: boolean;
  constructor(...args: Args<[margin: number, p: number, eps: number, swap: boolean, size_average: boolean | null, reduce: boolean | null, reduction: Reduction], Legacy & { margin?: number; p?: number; eps?: number; swap?: boolean }>);
  constructor(...args: any[]) {
    super();
    const f = 'TripletMarginLoss';
    const a = parseArgs(f, ['margin', 'p', 'eps', 'swap', ...LEGACY_NAMES], args, { margin: 1.0, p: 2.0, eps: 1e-6, swap: false, ...LEGACY_DEFAULTS });
    this._initLoss(f, a);
    this.margin = checkNum(a.margin, 'margin', f);
    this.p = checkNum(a.p, 'p', f);
    this.eps = checkNum(a.eps, 'eps', f);
    this.swap = checkB(a.swap, 'swap', f);
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.triplet_margin_loss(anchor, positive, negative, {
      margin: this.margin, p: this.p, eps: this.eps, swap: this.swap, reduction: this.reduction as Reduction,
    });
  }
}

/**
 * nn.TripletMarginWithDistanceLoss(*, distance_function=None, margin=1.0, swap=False,
 * reduction='mean'): the triplet loss with any distance (default F.pairwise_distance).
 */
export class TripletMarginWithDistanceLoss extends _Loss {
  distance_function!: (a: Tensor, b: Tensor) => Tensor;
  margin!: number;
  swap!: boolean;
  constructor(options?: { distance_function?: ((a: Tensor, b: Tensor) => Tensor) | null; margin?: number; swap?: boolean; reduction?: Reduction });
  constructor(...args: any[]) {
    super();
    const f = 'TripletMarginWithDistanceLoss';
    if (args.length > 1 || (args.length === 1 && (args[0] === null || typeof args[0] !== 'object'))) {
      throw new TypeError(`${f}() takes 0 positional arguments (every argument is keyword-only)`);
    }
    const a = parseArgs(f, ['distance_function', 'margin', 'swap', 'reduction'], args, { distance_function: null, margin: 1.0, swap: false, reduction: 'mean' });
    this._initLoss(f, a);
    const margin = checkNum(a.margin, 'margin', f);
    if (margin <= 0) throw new RangeError(`TripletMarginWithDistanceLoss: expected margin to be greater than 0, got ${margin} instead`);
    if (a.distance_function !== null && typeof a.distance_function !== 'function') {
      throw new TypeError(`${f}: argument 'distance_function' must be a function`);
    }
    Object.defineProperty(this, 'distance_function', {
      value: a.distance_function ?? ((x: Tensor, y: Tensor) => pairwise_distance(x, y)), writable: true, enumerable: false,
    });
    this.margin = margin;
    this.swap = checkB(a.swap, 'swap', f);
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.triplet_margin_with_distance_loss(anchor, positive, negative, {
      distance_function: this.distance_function, margin: this.margin, swap: this.swap, reduction: this.reduction as Reduction,
    });
  }
}

/**
 * nn.CTCLoss(blank=0, reduction='mean', zero_infinity=False): the Connectionist Temporal
 * Classification loss. forward(log_probs, targets, input_lengths, target_lengths).
 */
export class CTCLoss extends _Loss {
  blank!: number;
  zero_infinity!: boolean;
  constructor(...args: Args<[blank: number, reduction: Reduction, zero_infinity: boolean], { blank?: number; reduction?: Reduction; zero_infinity?: boolean }>);
  constructor(...args: any[]) {
    super();
    const f = 'CTCLoss';
    const a = parseArgs(f, ['blank', 'reduction', 'zero_infinity'], args, { blank: 0, reduction: 'mean', zero_infinity: false });
    this._initLoss(f, a);
    this.blank = a.blank;
    this.zero_infinity = checkB(a.zero_infinity, 'zero_infinity', f);
  }
  forward(log_probs: Tensor, targets: Tensor, input_lengths: Tensor | number[], target_lengths: Tensor | number[]): Tensor {
    return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, { blank: this.blank, reduction: this.reduction as Reduction, zero_infinity: this.zero_infinity });
  }
}
