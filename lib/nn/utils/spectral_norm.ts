/**
 * Spectral normalization (torch/nn/utils/spectral_norm.py): w = w_orig / σ(w_orig), σ estimated
 * by power iteration with the `<name>_u` / `<name>_v` buffers, updated before each forward in
 * training mode. Same ATen ops in the same order as PyTorch (so the same u, v and weights).
 */
import * as torch from '../../generated/ops';
import { Tensor } from '../../tensor';
import { TorchError } from '../../errors';
import { Module, RemovableHandle } from '../module';
import { Parameter, UninitializedParameter } from '../parameter';
import { noGrad } from '../_autograd';
import { normalize } from '../functional/normalization';
import { parse_args, str, int, float } from './_args';

/** The forward pre-hook object that spectral_norm installs (torch.nn.utils.spectral_norm.SpectralNorm). */
export class SpectralNorm {
  static _version = 1;
  readonly name: string;
  readonly dim: number;
  readonly n_power_iterations: number;
  readonly eps: number;
  /** @internal */ _handles: RemovableHandle[] = [];

  constructor(name = 'weight', n_power_iterations = 1, dim = 0, eps = 1e-12) {
    this.name = name;
    this.dim = dim;
    if (n_power_iterations <= 0) {
      throw new RangeError(`Expected n_power_iterations to be positive, but got n_power_iterations=${n_power_iterations}`);
    }
    this.n_power_iterations = n_power_iterations;
    this.eps = eps;
  }

  /** The weight as a matrix: `dim` first, the other dimensions flattened. */
  reshape_weight_to_matrix(weight: Tensor): Tensor {
    let w = weight;
    if (this.dim !== 0) {
      const rest = Array.from({ length: w.dim() }, (_, d) => d).filter((d) => d !== this.dim);
      w = w.permute([this.dim, ...rest]);
    }
    return w.reshape([w.size(0), -1]);
  }

  /** w_orig / σ, after `n_power_iterations` power-iteration steps when do_power_iteration. */
  compute_weight(module: Module, do_power_iteration: boolean): Tensor {
    const weight: Tensor = (module as any)[this.name + '_orig'];
    let u: Tensor = (module as any)[this.name + '_u'];
    let v: Tensor = (module as any)[this.name + '_v'];
    const weight_mat = this.reshape_weight_to_matrix(weight);
    if (do_power_iteration) {
      noGrad(() => {
        for (let i = 0; i < this.n_power_iterations; i++) {
          // normalize(..., out=v): the buffers are updated in place
          v.copy_(normalize(torch.mv(weight_mat.t(), u), { dim: 0, eps: this.eps }));
          u.copy_(normalize(torch.mv(weight_mat, v), { dim: 0, eps: this.eps }));
        }
        if (this.n_power_iterations > 0) {
          u = u.clone();
          v = v.clone();
        }
      });
    }
    const sigma = torch.dot(u, torch.mv(weight_mat, v));
    return weight.div(sigma);
  }

  /** Replaces the reparameterization by one `<name>` Parameter and removes the hooks. */
  remove(module: Module): void {
    const weight = noGrad(() => this.compute_weight(module, false));
    for (const k of [this.name, this.name + '_u', this.name + '_v', this.name + '_orig']) {
      delete (module as any)[k];
      module._parameters.delete(k);
      module._buffers.delete(k);
    }
    module.register_parameter(this.name, new Parameter(weight.detach()));
    for (const h of this._handles) h.remove();
  }

  static apply(module: Module, name: string, n_power_iterations: number, dim: number, eps: number): SpectralNorm {
    for (const hook of module._forward_pre_hooks.values()) {
      const sn = (hook as any)._spectral_norm;
      if (sn instanceof SpectralNorm && sn.name === name) throw new TorchError(`Cannot register two spectral_norm hooks on the same parameter ${name}`);
    }
    const fn = new SpectralNorm(name, n_power_iterations, dim, eps);
    module._sync();
    const weight = module._parameters.get(name);
    if (weight === null || weight === undefined) throw new RangeError(`\`SpectralNorm\` cannot be applied as parameter \`${name}\` is None`);
    if (weight instanceof UninitializedParameter) {
      throw new RangeError(
        "The module passed to `SpectralNorm` can't have uninitialized parameters. Make sure to run the dummy forward before applying spectral normalization",
      );
    }
    const [u, v] = noGrad(() => {
      const weight_mat = fn.reshape_weight_to_matrix(weight);
      const [h, w] = weight_mat.shape;
      const uu = normalize(weight.new_empty([h]).normal_(0, 1), { dim: 0, eps: fn.eps });
      const vv = normalize(weight.new_empty([w]).normal_(0, 1), { dim: 0, eps: fn.eps });
      return [uu, vv];
    });
    delete (module as any)[fn.name];
    module._parameters.delete(fn.name);
    module.register_parameter(fn.name + '_orig', weight);
    (module as any)[fn.name] = weight.detach();
    module.register_buffer(fn.name + '_u', u);
    module.register_buffer(fn.name + '_v', v);
    const hook = (m: Module): void => {
      (m as any)[fn.name] = fn.compute_weight(m, m.training);
    };
    (hook as any)._spectral_norm = fn;
    fn._handles.push(module.register_forward_pre_hook(hook));
    // state_dict metadata, as SpectralNormStateDictHook writes it
    fn._handles.push(module._register_state_dict_hook((_m: Module, dest: any, prefix: string) => {
      const meta = dest._metadata;
      if (!meta) return;
      const key = prefix.slice(0, -1);
      meta[key] = meta[key] ?? {};
      meta[key].spectral_norm = meta[key].spectral_norm ?? {};
      const k = fn.name + '.version';
      if (k in meta[key].spectral_norm) throw new TorchError(`Unexpected key in metadata['spectral_norm']: ${k}`);
      meta[key].spectral_norm[k] = SpectralNorm._version;
    }));
    return fn;
  }
}

/**
 * nn.utils.spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12, dim=None):
 * applies spectral normalization to the parameter `name` of `module` and returns the module
 * (dim defaults to 1 for ConvTranspose*, else 0).
 *
 * Example:
 *   const m = nn.utils.spectral_norm(new nn.Linear(20, 40));
 *   m.weight_u.shape   // [40]
 */
export function spectral_norm<M extends Module>(module: M, options?: { name?: string; n_power_iterations?: number; eps?: number; dim?: number | null }): M;
export function spectral_norm<M extends Module>(module: M, name?: string, n_power_iterations?: number, eps?: number, dim?: number | null): M;
export function spectral_norm(...args: any[]): Module {
  const f = 'spectral_norm';
  const a = parse_args(f, ['module', ['name', 'weight'], ['n_power_iterations', 1], ['eps', 1e-12], ['dim', null]], args);
  const module: Module = a.module;
  if (!(module instanceof Module)) throw new TypeError(`${f}(): argument 'module' must be an nn.Module`);
  let dim: number;
  if (a.dim === null || a.dim === undefined) dim = /^ConvTranspose[123]d$/.test(module._get_name()) ? 1 : 0;
  else dim = int(f, 'dim', a.dim);
  SpectralNorm.apply(module, str(f, 'name', a.name), int(f, 'n_power_iterations', a.n_power_iterations), dim, float(f, 'eps', a.eps));
  return module;
}

/** nn.utils.remove_spectral_norm(module, name='weight'): undoes spectral_norm; returns the module. */
export function remove_spectral_norm<M extends Module>(module: M, options?: { name?: string }): M;
export function remove_spectral_norm<M extends Module>(module: M, name?: string): M;
export function remove_spectral_norm(...args: any[]): Module {
  const f = 'remove_spectral_norm';
  const a = parse_args(f, ['module', ['name', 'weight']], args);
  const module: Module = a.module;
  if (!(module instanceof Module)) throw new TypeError(`${f}(): argument 'module' must be an nn.Module`);
  for (const hook of module._forward_pre_hooks.values()) {
    const sn = (hook as any)._spectral_norm;
    if (sn instanceof SpectralNorm && sn.name === a.name) {
      sn.remove(module);
      return module;
    }
  }
  throw new RangeError(`spectral_norm of '${a.name}' not found in ${module._get_name()}`);
}
