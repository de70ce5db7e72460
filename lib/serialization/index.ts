/**
 * torch.save / torch.load (PyTorch's zip format, both ways with Python) and safetensors.
 * `torch.serialization.tuple([...])` marks an Array to be saved as a Python tuple.
 */
export { save } from './save';
export type { SaveOptions } from './save';
export { load } from './load';
export type { LoadOptions, MapLocation } from './load';
export { tuple, isTuple } from './pickle';
export { save_async, load_async } from './async';
