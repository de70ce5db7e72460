/**
 * torch.nn.utils: gradient clipping, parameters ↔ vector, and `nn.utils.rnn` (PackedSequence and
 * the packing functions).
 */
export * as rnn from './rnn';
