/**
 * torch.utils.checkpoint: trade compute for memory. `checkpoint(fn, ...args)` runs fn without
 * keeping its intermediate tensors and runs it again during backward to get its gradients,
 * restoring the CPU RNG state of the first run first (preserve_rng_state), so dropout inside draws
 * the same masks and the gradients equal those of the plain run. This is PyTorch 1.13's reentrant
 * checkpoint (use_reentrant=True): a custom autograd Function whose backward recomputes and calls
 * torch.autograd.backward on the recomputed graph.
 *
 * Example:
 *   const out = torch.utils.checkpoint.checkpoint(block, x);   // block: a Module or function
 *   const out2 = torch.utils.checkpoint.checkpoint_sequential(seq, 2, x);
 */
import { Tensor } from '../tensor';
import { Function, FunctionCtx } from '../autograd/function';
import { backward as autograd_backward } from '../autograd/engine';
import { enable_grad } from '../autograd/grad_mode';
import { get_rng_state, set_rng_state } from '../random';

type Fn = (...args: any[]) => any;
interface CheckpointCtx extends FunctionCtx {
  run_function: Fn;
  preserve_rng_state: boolean;
  fwd_cpu_state: Tensor | null;
  inputs: unknown[];
}

class CheckpointFunction extends Function {
  static forward(ctx: FunctionCtx, run_function: Fn, preserve_rng_state: boolean, ...args: unknown[]): unknown {
    const c = ctx as CheckpointCtx;
    c.run_function = run_function;
    c.preserve_rng_state = preserve_rng_state;
    c.fwd_cpu_state = preserve_rng_state ? get_rng_state() : null;
    c.inputs = args;
    c.save_for_backward(...args.filter((a): a is Tensor => a instanceof Tensor));
    return run_function(...args);
  }

  static backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): (Tensor | null)[] {
    const c = ctx as CheckpointCtx;
    const detached = c.inputs.map((a) => (a instanceof Tensor ? a.detach().requires_grad_(a.requires_grad) : a));
    // fork the CPU RNG: replay the forward's state, then give the caller back its own
    const saved = c.preserve_rng_state ? get_rng_state() : null;
    let outputs: unknown;
    try {
      if (c.fwd_cpu_state) set_rng_state(c.fwd_cpu_state);
      outputs = enable_grad(() => c.run_function(...detached));
    } finally {
      if (saved) set_rng_state(saved);
    }
    const outs = Array.isArray(outputs) ? outputs : [outputs];
    const withGrad: Tensor[] = [];
    const gradsWith: Tensor[] = [];
    outs.forEach((o, i) => {
      if (o instanceof Tensor && o.requires_grad && grads[i]) {
        withGrad.push(o);
        gradsWith.push(grads[i]!);
      }
    });
    if (withGrad.length === 0) {
      throw new Error('none of output has requires_grad=True, this checkpoint() is not necessary');
    }
    autograd_backward(withGrad, gradsWith);
    return [null, null, ...detached.map((d) => (d instanceof Tensor ? d.grad : null))];
  }
}

const isOpts = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor) && Object.getPrototypeOf(v) === Object.prototype;

function splitOptions(fname: string, args: unknown[]): [unknown[], { use_reentrant: boolean; preserve_rng_state: boolean }] {
  let opts: Record<string, unknown> = {};
  if (args.length > 0 && isOpts(args[args.length - 1])) {
    opts = args[args.length - 1] as Record<string, unknown>;
    args = args.slice(0, -1);
  }
  for (const k of Object.keys(opts)) {
    if (k !== 'use_reentrant' && k !== 'preserve_rng_state') throw new TypeError(`Unexpected keyword arguments: ${k}`);
  }
  const use_reentrant = opts.use_reentrant === undefined ? true : Boolean(opts.use_reentrant);
  if (!use_reentrant) throw new TypeError(`${fname}(): use_reentrant=false (saved-tensor hooks) is not supported by torch-node`);
  return [args, { use_reentrant, preserve_rng_state: opts.preserve_rng_state === undefined ? true : Boolean(opts.preserve_rng_state) }];
}

/**
 * checkpoint(function, ...args, {use_reentrant=true, preserve_rng_state=true}): function(...args),
 * recomputed during backward instead of stored. At least one tensor argument should require grad
 * (otherwise the result has no gradient, as in PyTorch).
 */
export function checkpoint(fn: Fn | { (...a: any[]): any }, ...rest: unknown[]): any {
  if (typeof fn !== 'function') throw new TypeError('checkpoint(): argument \'function\' must be callable');
  const [args, o] = splitOptions('checkpoint', rest);
  if (!args.some((a) => a instanceof Tensor && a.requires_grad)) {
    process.emitWarning('None of the inputs have requires_grad=True. Gradients will be None');
  }
  return CheckpointFunction.apply(fn, o.preserve_rng_state, ...args);
}

/**
 * checkpoint_sequential(functions, segments, input, {use_reentrant, preserve_rng_state}): runs a
 * Sequential (or an array of modules/functions) in `segments` chunks, checkpointing every chunk
 * but the last.
 */
export function checkpoint_sequential(functions: any, segments: number, input: Tensor, options: { use_reentrant?: boolean; preserve_rng_state?: boolean } = {}): Tensor {
  const [, o] = splitOptions('checkpoint_sequential', [options]);
  const fns: Fn[] = Array.isArray(functions) ? functions : typeof functions.children === 'function' ? functions.children() : null;
  if (!fns) throw new TypeError('checkpoint_sequential(): functions must be an nn.Sequential or an array');
  const run = (start: number, end: number) => (x: Tensor): Tensor => {
    for (let j = start; j <= end; j++) x = fns[j](x);
    return x;
  };
  const segment_size = Math.floor(fns.length / segments);
  let end = -1;
  for (let start = 0; start < segment_size * (segments - 1); start += segment_size) {
    end = start + segment_size - 1;
    input = checkpoint(run(start, end), input, { preserve_rng_state: o.preserve_rng_state });
  }
  return run(end + 1, fns.length - 1)(input);
}
