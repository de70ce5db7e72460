/**
 * torch.utils: torch.utils.data.
 */
export * as data from './data';
