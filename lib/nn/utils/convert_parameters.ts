/**
 * parameters_to_vector / vector_to_parameters (torch/nn/utils/convert_parameters.py).
 */
import * as torch from '../../generated/ops';
import { Tensor } from '../../tensor';
import { describe } from '../../_utils';
import { setData } from '../_autograd';

function checkParamDevice(param: Tensor, old: string | null): string {
  const dev = String(param.device);
  if (old === null) return dev;
  if (dev !== old) throw new TypeError('Found two parameters on different devices, this is currently not supported.');
  return old;
}

function iter(fname: string, parameters: unknown): Tensor[] {
  if (parameters === null || typeof parameters !== 'object' || typeof (parameters as any)[Symbol.iterator] !== 'function' || parameters instanceof Tensor) {
    throw new TypeError(`${fname}(): argument 'parameters' must be an iterable of Tensors, not ${describe(parameters)}`);
  }
  const list = [...(parameters as Iterable<unknown>)];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${fname}(): parameters[${i}] must be a Tensor, not ${describe(p)}`);
  });
  return list as Tensor[];
}

/**
 * nn.utils.parameters_to_vector(parameters): one 1-D tensor holding every parameter, flattened,
 * in order (differentiable, like torch.cat of views).
 */
export function parameters_to_vector(parameters: Iterable<Tensor>): Tensor {
  let dev: string | null = null;
  const vec: Tensor[] = [];
  for (const p of iter('parameters_to_vector', parameters)) {
    dev = checkParamDevice(p, dev);
    vec.push(p.view(-1));
  }
  return torch.cat(vec);
}

/**
 * nn.utils.vector_to_parameters(vec, parameters): makes each parameter's data the next slice of
 * `vec` (viewed to its shape): `param.data = vec[pointer:pointer + n].view_as(param).data`.
 */
export function vector_to_parameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new TypeError(`expected torch.Tensor, but got: ${describe(vec)}`);
  let dev: string | null = null;
  let pointer = 0;
  for (const p of iter('vector_to_parameters', parameters)) {
    dev = checkParamDevice(p, dev);
    const n = p.numel();
    const slice = vec.narrow(0, pointer, n).view(p.shape).detach();
    setData(p, slice);
    pointer += n;
  }
}
