/**
 * torch.autograd.backward and torch.autograd.grad over libtorch's autograd engine, and the
 * autograd methods of Tensor (requires_grad, grad, grad_fn, backward, register_hook), which
 * lib/_tensor.ts delegates to.
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { TorchError } from '../errors';
import { describe } from '../_utils';
import { refuseHoles } from '../dispatch';
import { Node } from './graph';
import { RemovableHandle } from '../utils/hooks';
export { RemovableHandle };

type Opts = Record<string, unknown>;
const isOpts = (v: unknown): v is Opts =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor) && Object.getPrototypeOf(v) === Object.prototype;

/** @internal A TypeError naming the argument unless `f` is callable (Python's "'int' object is not callable"). */
export function requireCallable(fname: string, name: string, f: unknown): void {
  if (typeof f !== 'function') throw new TypeError(`${fname}(): argument '${name}' must be callable, not ${describe(f)}`);
}

/** @internal Positional arguments, or by name in a trailing options object (PyTorch's rule). */
export function parseArgs(fname: string, names: string[], args: unknown[]): Opts {
  const out: Opts = {};
  let pos = args;
  if (args.length > 0 && isOpts(args[args.length - 1])) {
    const o = args[args.length - 1] as Opts;
    pos = args.slice(0, -1);
    for (const k of Object.keys(o)) {
      if (!names.includes(k)) throw new TypeError(`${fname}() got an unexpected keyword argument '${k}'`);
      out[k] = o[k];
    }
  }
  if (pos.length > names.length) throw new TypeError(`${fname}() takes at most ${names.length} arguments (${pos.length} given)`);
  pos.forEach((v, i) => {
    if (names[i] in out) throw new TypeError(`${fname}() got multiple values for argument '${names[i]}'`);
    out[names[i]] = v;
  });
  for (const k of Object.keys(out)) refuseHoles(fname, k, out[k]);
  return out;
}

function tensorList(fname: string, name: string, v: unknown, allowNull: boolean): (Tensor | null)[] {
  const list = v instanceof Tensor || v === null ? [v] : v;
  if (!Array.isArray(list)) throw new TypeError(`${fname}(): argument '${name}' must be a Tensor or an array of Tensors`);
  return list.map((t, i) => {
    if (t instanceof Tensor) return t;
    if ((t === null || t === undefined) && allowNull) return null;
    throw new TypeError(`${fname}(): argument '${name}' element ${i} must be a Tensor${allowNull ? ' or null' : ''}`);
  });
}
const handles = (ts: (Tensor | null)[]): (number | null)[] => ts.map((t) => (t === null ? null : t._h));
function optBool(fname: string, name: string, v: unknown): boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw new TypeError(`${fname}(): argument '${name}' must be a boolean`);
  return v;
}

/**
 * torch.autograd.backward(tensors, grad_tensors?, retain_graph?, create_graph?, inputs?): computes
 * the sum of gradients of `tensors` w.r.t. the graph leaves and accumulates them into `.grad`.
 *
 * Args:
 *   tensors (Tensor | Tensor[]): the outputs to differentiate.
 *   grad_tensors (Tensor | (Tensor|null)[] | null): the "vector" of the vector-Jacobian product,
 *     one per output; null for scalar outputs.
 *   retain_graph (boolean | null): keep the graph for another backward (default: create_graph).
 *   create_graph (boolean): build the graph of the derivative, for higher-order derivatives.
 *   inputs (Tensor | Tensor[]): accumulate only into these tensors' `.grad`.
 *
 * Example:
 *   torch.autograd.backward([y1, y2], [g1, null])
 */
export function backward(...args: unknown[]): void {
  const a = parseArgs('backward', ['tensors', 'grad_tensors', 'retain_graph', 'create_graph', 'inputs'], args);
  const tensors = tensorList('backward', 'tensors', a.tensors, false) as Tensor[];
  const grads = a.grad_tensors === undefined || a.grad_tensors === null ? [] : tensorList('backward', 'grad_tensors', a.grad_tensors, true);
  const inputs = a.inputs === undefined || a.inputs === null ? [] : (tensorList('backward', 'inputs', a.inputs, false) as Tensor[]);
  if (a.inputs !== undefined && a.inputs !== null && inputs.length === 0) throw new RangeError("'inputs' argument to backward() cannot be empty.");
  native._backward(
    handles(tensors), handles(grads), optBool('backward', 'retain_graph', a.retain_graph),
    Boolean(optBool('backward', 'create_graph', a.create_graph)), handles(inputs),
  );
}

/**
 * torch.autograd.grad(outputs, inputs, grad_outputs?, retain_graph?, create_graph?, only_inputs?,
 * allow_unused?): computes and returns the gradients of `outputs` w.r.t. `inputs` (without
 * touching `.grad`).
 *
 * Args:
 *   outputs (Tensor | Tensor[]): outputs of the differentiated function.
 *   inputs (Tensor | Tensor[]): inputs w.r.t. which the gradient is returned.
 *   grad_outputs (Tensor | (Tensor|null)[] | null): the "vector" of the vector-Jacobian product.
 *   retain_graph (boolean | null): default create_graph.
 *   create_graph (boolean): build the graph of the derivative (higher-order gradients).
 *   only_inputs (boolean): deprecated and ignored, as in PyTorch.
 *   allow_unused (boolean): return null for inputs that outputs do not depend on, instead of throwing.
 *
 * Returns: one gradient (Tensor, or null when unused) per input.
 *
 * Example:
 *   const [dx] = torch.autograd.grad(y, x, {create_graph: true});
 *   const [d2x] = torch.autograd.grad(dx.sum(), x);
 */
export function grad(...args: unknown[]): (Tensor | null)[] {
  const a = parseArgs('grad', ['outputs', 'inputs', 'grad_outputs', 'retain_graph', 'create_graph', 'only_inputs', 'allow_unused', 'is_grads_batched'], args);
  if (a.is_grads_batched) throw new TypeError('grad(): is_grads_batched=true is not supported by torch-node');
  const outputs = tensorList('grad', 'outputs', a.outputs, false) as Tensor[];
  const inputs = tensorList('grad', 'inputs', a.inputs, false) as Tensor[];
  const gouts = a.grad_outputs === undefined || a.grad_outputs === null ? [] : tensorList('grad', 'grad_outputs', a.grad_outputs, true);
  let hs: (number | null)[];
  try {
    hs = native._autograd_grad(
      handles(outputs), handles(inputs), handles(gouts), optBool('grad', 'retain_graph', a.retain_graph),
      Boolean(optBool('grad', 'create_graph', a.create_graph)), Boolean(optBool('grad', 'allow_unused', a.allow_unused)),
    );
  } catch (e) {
    throw unusedInputError(e);
  }
  const out: (Tensor | null)[] = new Array(hs.length).fill(null);
  for (let i = 0; i < hs.length; i++) if (hs[i] !== null) out[i] = new Tensor(hs[i] as number);
  return out;
}

/**
 * Python's wording of the unused-input error. libtorch's C++ torch::autograd::grad and Python's
 * engine said "One of the differentiated Tensors appears…" alike (1.13); later releases give the
 * index, in different words: C++ "element 1of the differentiated Tensors appears…", Python (2.13)
 * "The differentiated Tensor at index 1 appears…" (pytorch/pytorch#73697). Rewritten to Python's.
 */
function unusedInputError(e: unknown): unknown {
  const m = e instanceof TorchError && /^element (\d+) ?of the differentiated Tensors( appears to not have been used in the graph\..*)$/s.exec(e.message);
  return m ? new TorchError(`The differentiated Tensor at index ${m[1]}${m[2]}`) : e;
}


// ------------------------------------------------------------------ Tensor methods (lib/_tensor.ts)

/** @internal */
export function set_requires_grad(t: Tensor, v: unknown, setter: boolean): void {
  if (typeof v !== 'boolean') throw new TypeError(`requires_grad must be a boolean, not ${v === null ? 'null' : typeof v}`);
  native._set_requires_grad(t._h, v, setter);
}

/** @internal */
let warnedNonLeafGrad = false;
/** @internal */
export function get_grad(t: Tensor): Tensor | null {
  const h = native._grad(t._h);
  if (h === false) {
    if (!warnedNonLeafGrad) {
      warnedNonLeafGrad = true;
      process.emitWarning(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be " +
          'populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf ' +
          'Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure ' +
          'you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.',
        'UserWarning',
      );
    }
    return null;
  }
  return h === null ? null : new Tensor(h);
}

/** @internal */
export function set_grad(t: Tensor, g: unknown): void {
  if (g === null || g === undefined) native._set_grad(t._h, null);
  else if (g instanceof Tensor) native._set_grad(t._h, g._h);
  else throw new TypeError(`assigned grad expected to be a Tensor or None but got grad of type ${typeof g}`);
}

/** @internal */
export function grad_fn(t: Tensor): Node | null {
  const p = native._grad_fn(t._h);
  return p === null ? null : new Node(p);
}

/** @internal Tensor.backward(gradient?, retain_graph?, create_graph?, inputs?) */
export function tensor_backward(t: Tensor, args: unknown[]): void {
  const a = parseArgs('backward', ['gradient', 'retain_graph', 'create_graph', 'inputs'], args);
  backward({ tensors: t, grad_tensors: a.gradient ?? null, retain_graph: a.retain_graph, create_graph: a.create_graph, inputs: a.inputs });
}

/** @internal */
export function register_hook(t: Tensor, fn: (grad: Tensor) => Tensor | void | null | undefined): RemovableHandle {
  if (typeof fn !== 'function') throw new TypeError('register_hook(): argument \'hook\' must be a function');
  // The wrapper must not capture `t`: native code holds it strongly for the hook's lifetime.
  const wrapper = (gh: number): number | null => {
    const g = new Tensor(gh);
    const r = fn(g);
    if (r === undefined || r === null) return null;
    if (!(r instanceof Tensor)) throw new TypeError(`a tensor hook must return a Tensor or nothing, got ${typeof r}`);
    return r._h;
  };
  const id: number = native._register_hook(t._h, wrapper);
  return new RemovableHandle((hid) => {
    if (!t.is_disposed) native._remove_hook(t._h, hid);
  }, id);
}
