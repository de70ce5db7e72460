/**
 * torch.utils: torch.utils.data, torch.utils.checkpoint, torch.utils.tensorboard.
 */
export * as data from './data';
export * as checkpoint from './checkpoint';
export * as tensorboard from './tensorboard';
