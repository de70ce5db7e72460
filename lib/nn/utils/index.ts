/**
 * torch.nn.utils: gradient clipping, parameters ↔ vector, weight_norm, and `nn.utils.rnn`
 * (PackedSequence and the packing functions).
 */
export * as rnn from './rnn';
export { deepcopy } from './copy';
