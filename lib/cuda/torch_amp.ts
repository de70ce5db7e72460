/** torch.amp: GradScaler(device, …) and autocast(device_type, …). */
export { GradScaler } from './amp';
export type { GradScalerOptions, OptimizerLike } from './amp';
export { autocast } from './autocast';
