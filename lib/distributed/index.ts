/**
 * torch.distributed. `import { distributed as dist } from 'torch-node'` (or `torch.distributed`).
 * See lib/distributed/c10d.ts for the sync/async story.
 */
export * from './c10d';
