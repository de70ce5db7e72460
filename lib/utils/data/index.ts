/**
 * torch.utils.data: datasets, samplers and the DataLoader.
 */
export { Dataset, IterableDataset, TensorDataset, ConcatDataset, ChainDataset, Subset, random_split } from './dataset';
export type { MapDataset } from './dataset';
export { Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from './sampler';
export { DataLoader } from './dataloader';
export type { DataLoaderOptions } from './dataloader';
export { default_collate, default_convert } from './_utils/collate';
export { get_worker_info, WorkerInfo } from './_utils/worker';
export { DistributedSampler } from './distributed';
export * as distributed from './distributed';
