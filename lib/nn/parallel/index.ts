/** torch.nn.parallel: DataParallel, DistributedDataParallel and the scatter/replicate/gather pieces. */
export { DataParallel, data_parallel, scatter, gather, replicate } from './data_parallel';
export { DistributedDataParallel, NoSyncGuard } from './distributed';
