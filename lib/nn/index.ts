/**
 * torch.nn: Module, Parameter, the containers, every layer family, nn.functional and nn.init.
 *
 * Example:
 *   import * as torch from 'torch-node';
 *   const { nn } = torch;
 *   const F = nn.functional;
 *   const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
 *   const y = model(torch.randn(64, 784));
 */
export { Module, RemovableHandle } from './module';
export { Parameter, UninitializedParameter, UninitializedBuffer, is_lazy } from './parameter';
export * as functional from './functional';
export * as init from './init';
// containers and the layer families (torch/nn/modules/)
export { Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict } from './modules/container';
export * from './modules/linear';
export * from './modules/conv';
export * from './modules/fold';
export * from './modules/pooling';
export * from './modules/padding';
export * from './modules/activation';
export * from './modules/normalization';
export * from './modules/dropout';
export * from './modules/flatten';
export * from './modules/pixelshuffle';
export * from './modules/upsampling';
export * from './modules/channelshuffle';
export { LazyModuleMixin } from './modules/lazy';
export * from './modules/rnn';
export * as utils from './utils';
export * from './modules/sparse';
export * from './modules/distance';
export * from './modules/loss';
export * from './modules/adaptive';
export * from './modules/transformer';
// data parallelism (torch.nn.parallel)
export * as parallel from './parallel';
export { DataParallel, DistributedDataParallel } from './parallel';
