/**
 * Weight normalization (torch/nn/utils/weight_norm.py): reparameterizes a module's weight as
 * w = g · v / ‖v‖, with `<name>_g` and `<name>_v` as the parameters and `<name>` recomputed before
 * every forward by a forward pre-hook (at::_weight_norm, one native call).
 */
import * as torch from '../../generated/ops';
import { native } from '../../binding';
import { Tensor } from '../../tensor';
import { TorchError } from '../../errors';
import { Module, RemovableHandle } from '../module';
import { Parameter, UninitializedParameter } from '../parameter';
import { parse_args, str, opt_int } from './_args';

/** The forward pre-hook object that weight_norm installs (torch.nn.utils.weight_norm.WeightNorm). */
export class WeightNorm {
  readonly name: string;
  readonly dim: number;
  /** @internal */ _handle: RemovableHandle | null = null;
  constructor(name: string, dim: number | null) {
    this.name = name;
    this.dim = dim === null ? -1 : dim;
  }

  /** g · v / ‖v‖ from the module's current `<name>_g` and `<name>_v`. */
  compute_weight(module: Module): Tensor {
    const g: Tensor = (module as any)[this.name + '_g'];
    const v: Tensor = (module as any)[this.name + '_v'];
    return new Tensor(native._nn_weight_norm(v._h, g._h, this.dim));
  }

  static apply(module: Module, name: string, dim: number | null): WeightNorm {
    for (const hook of module._forward_pre_hooks.values()) {
      const wn = (hook as any)._weight_norm;
      if (wn instanceof WeightNorm && wn.name === name) throw new TorchError(`Cannot register two weight_norm hooks on the same parameter ${name}`);
    }
    const fn = new WeightNorm(name, dim);
    module._sync();
    const weight = (module as any)[name];
    if (weight instanceof UninitializedParameter) {
      throw new RangeError(
        "The module passed to `WeightNorm` can't have uninitialized parameters. Make sure to run the dummy forward before applying weight normalization",
      );
    }
    if (!module._parameters.has(name) || !(weight instanceof Parameter)) throw new TorchError(`'${module._get_name()}' has no parameter '${name}'`);
    // del module._parameters[name] (and the field that mirrors it)
    delete (module as any)[name];
    module._parameters.delete(name);
    const g = torch.norm_except_dim(weight, 2, fn.dim).detach();
    module.register_parameter(name + '_g', new Parameter(g));
    module.register_parameter(name + '_v', new Parameter(weight.detach()));
    (module as any)[name] = fn.compute_weight(module);
    const hook = (m: Module): void => {
      (m as any)[fn.name] = fn.compute_weight(m);
    };
    (hook as any)._weight_norm = fn;
    fn._handle = module.register_forward_pre_hook(hook);
    return fn;
  }

  /** Folds g and v back into one `<name>` Parameter and removes the hook. */
  remove(module: Module): void {
    const weight = this.compute_weight(module);
    delete (module as any)[this.name];
    for (const k of [this.name + '_g', this.name + '_v']) {
      delete (module as any)[k];
      module._parameters.delete(k);
    }
    (module as any)[this.name] = new Parameter(weight.detach());
    if (this._handle !== null) this._handle.remove();
  }
}

/**
 * nn.utils.weight_norm(module, name='weight', dim=0): applies weight normalization to the
 * parameter `name` of `module` and returns the module. dim=null normalizes over the whole tensor.
 *
 * Example:
 *   const m = nn.utils.weight_norm(new nn.Linear(20, 40), {name: 'weight'});
 *   m.weight_g.shape   // [40, 1]
 */
export function weight_norm<M extends Module>(module: M, options?: { name?: string; dim?: number | null }): M;
export function weight_norm<M extends Module>(module: M, name?: string, dim?: number | null): M;
export function weight_norm(...args: any[]): Module {
  const f = 'weight_norm';
  const a = parse_args(f, ['module', ['name', 'weight'], ['dim', 0]], args);
  if (!(a.module instanceof Module)) throw new TypeError(`${f}(): argument 'module' must be an nn.Module`);
  WeightNorm.apply(a.module, str(f, 'name', a.name), opt_int(f, 'dim', a.dim));
  return a.module;
}

/** nn.utils.remove_weight_norm(module, name='weight'): undoes weight_norm; returns the module. */
export function remove_weight_norm<M extends Module>(module: M, options?: { name?: string }): M;
export function remove_weight_norm<M extends Module>(module: M, name?: string): M;
export function remove_weight_norm(...args: any[]): Module {
  const f = 'remove_weight_norm';
  const a = parse_args(f, ['module', ['name', 'weight']], args);
  const module: Module = a.module;
  if (!(module instanceof Module)) throw new TypeError(`${f}(): argument 'module' must be an nn.Module`);
  for (const hook of module._forward_pre_hooks.values()) {
    const wn = (hook as any)._weight_norm;
    if (wn instanceof WeightNorm && wn.name === a.name) {
      wn.remove(module);
      return module;
    }
  }
  throw new RangeError(`weight_norm of '${a.name}' not found in ${module._get_name()}`);
}
