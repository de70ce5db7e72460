/**
 * torch.nn.functional (imported as F: `const F = torch.nn.functional`): the functions behind the
 * nn layers, with PyTorch's signatures (positional or by name in a trailing options object).
 * Each is the one ATen call that PyTorch's own F.* makes.
 */
export * from './activation';
export * from './conv';
export * from './pooling';
export * from './padding';
export * from './normalization';
export * from './dropout';
export * from './linear';
export * from './vision';
export * from './loss';
export * from './sparse';
export * from './distance';
export * from './attention';
