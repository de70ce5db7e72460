/**
 * torch.optim: optimizers (one native update per parameter group and step) and
 * torch.optim.lr_scheduler.
 */
export { Optimizer, required } from './optimizer';
export type { ParamGroup, ParamsLike, Closure, OptimizerStateDict } from './optimizer';
export { SGD } from './sgd';
export { Adam, AdamW } from './adam';
export { RMSprop } from './rmsprop';
export { Adagrad } from './adagrad';
export { Adadelta } from './adadelta';
export { Adamax } from './adamax';
export { NAdam } from './nadam';
export { RAdam } from './radam';
export { Rprop } from './rprop';
export { ASGD } from './asgd';
export { SparseAdam } from './sparse_adam';
export { LBFGS } from './lbfgs';
export * as lr_scheduler from './lr_scheduler';
