/**
 * torch.nn.utils: gradient clipping, parameters ↔ vector, weight_norm, spectral_norm, deepcopy for modules, and
 * `nn.utils.rnn` (PackedSequence and the packing functions).
 */
export * as rnn from './rnn';
export { clip_grad_norm_, clip_grad_norm, clip_grad_value_ } from './clip_grad';
export { parameters_to_vector, vector_to_parameters } from './convert_parameters';
export { weight_norm, remove_weight_norm, WeightNorm } from './weight_norm';
export { spectral_norm, remove_spectral_norm, SpectralNorm } from './spectral_norm';
export { deepcopy } from './copy';
