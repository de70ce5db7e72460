/**
 * torch.utils: torch.utils.data, torch.utils.checkpoint.
 */
export * as data from './data';
export * as checkpoint from './checkpoint';
