/**
 * torch.nn.functional (imported as F: `const F = torch.nn.functional`): the functions behind the
 * nn layers, with PyTorch's signatures (positional or by name in a trailing options object).
 * Each is the one ATen call that PyTorch's own F.* makes.
 */
// ---- branch nn: activations, convolution, pooling, padding, normalization, dropout, linear, vision
export * from './activation';
export * from './conv';
export * from './pooling';
export * from './padding';
export * from './normalization';
export * from './dropout';
export * from './linear';
export * from './vision';
// ---- branch nn2: recurrent, transformer/attention, sparse/embedding, distance, losses (one line each below)
export * from './loss';
export * from './sparse';
export * from './distance';
export * from './attention';
