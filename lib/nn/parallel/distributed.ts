/**
 * nn.parallel.DistributedDataParallel: data parallelism across processes over torch.distributed.
 *
 * As PyTorch's: at construction the module's parameters and buffers are broadcast from rank 0;
 * each forward (with grad enabled and sync on) arms the reducer; during backward every parameter's
 * gradient, divided by the world size, is copied into a flat bucket as soon as it is accumulated,
 * and each full bucket is all-reduced asynchronously while backward goes on. When backward ends,
 * the averaged gradients are in `.grad` on every rank. Buckets as PyTorch 1.13's: the first
 * iteration reduces one bucket of everything (with find_unused_parameters: buckets of
 * `bucket_cap_mb` in reverse definition order, the first-defined 1 MiB); the forward after it
 * rebuilds them in the order gradients became ready (first 1 MiB, then `bucket_cap_mb`), so the
 * last layers' all_reduce starts while earlier layers are still in backward. The reducer lives in
 * native/distributed/ddp.cc.
 */
import { native } from '../../binding';
import { Tensor } from '../../tensor';
import { Module } from '../module';
import { is_grad_enabled } from '../../autograd/grad_mode';
import * as dist from '../../distributed';
import { parseArgs } from '../../distributed/args';

const BROADCAST_BUCKET = 250 * 1024 * 1024; // PyTorch's broadcast_bucket_size

/** The guard returned by no_sync(): gradients accumulate locally until it is disposed. */
export class NoSyncGuard {
  private prev: boolean;
  /** @internal */
  constructor(private readonly ddp: DistributedDataParallel) {
    this.prev = ddp.require_backward_grad_sync;
    ddp.require_backward_grad_sync = false;
  }
  exit(): void {
    this.ddp.require_backward_grad_sync = this.prev;
  }
  [Symbol.dispose](): void {
    this.exit();
  }
}

/**
 * Wraps `module` for synchronous data-parallel training across processes.
 *
 * Args:
 *   module: the module to replicate (identical on every rank).
 *   device_ids: null for CPU modules; [i] for a module on cuda:i (one device per process).
 *   output_device: where outputs go (default device_ids[0]).
 *   broadcast_buffers: broadcast rank 0's buffers at each forward (default true).
 *   process_group: the group to reduce over (default: the world).
 *   bucket_cap_mb: bucket size in MiB (default 25).
 *   find_unused_parameters: allow parameters that get no gradient in an iteration (default false).
 *
 * Example:
 *   dist.init_process_group('gloo');
 *   const ddp = new nn.parallel.DistributedDataParallel(model);
 *   loss_fn(ddp(x), y).backward(); opt.step();
 */
export class DistributedDataParallel extends Module {
  declare module: Module;
  declare device_ids: number[] | null;
  declare output_device: number | null;
  declare broadcast_buffers: boolean;
  declare bucket_bytes_cap: number;
  declare find_unused_parameters: boolean;
  declare require_backward_grad_sync: boolean;
  declare require_forward_param_sync: boolean;
  /** @internal */ declare _process_group: dist.ProcessGroup | null;
  /** @internal */ declare _reducer: object;

  constructor(module: Module, ...args: any[]) {
    super();
    const a = parseArgs(
      'DistributedDataParallel',
      ['device_ids', 'output_device', 'dim', 'broadcast_buffers', 'process_group', 'bucket_cap_mb', 'find_unused_parameters',
        'check_reduction', 'gradient_as_bucket_view', 'static_graph'],
      args,
    );
    if (!(module instanceof Module)) throw new TypeError('DistributedDataParallel: module must be an nn.Module');
    const params = module.parameters().filter((p) => p.requires_grad);
    if (params.length === 0) throw new RangeError("DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.");
    const devs = new Set(params.map((p) => p.device.toString()));
    if (devs.size > 1) throw new RangeError('DistributedDataParallel only supports single-device modules');
    const dev = [...devs][0];
    let device_ids: number[] | null = a.device_ids ?? null;
    if (dev === 'cpu' && device_ids !== null && device_ids.length) {
      throw new RangeError(`DistributedDataParallel device_ids and output_device arguments only work with single-device/multiple-device GPU modules or CPU modules, but got device_ids ${JSON.stringify(device_ids)}, output_device ${a.output_device ?? null}, and module parameters {${dev}}.`);
    }
    if (device_ids !== null && device_ids.length > 1) throw new RangeError('device_ids can only be None or contain a single element.');
    this.add_module('module', module);
    const mb = a.bucket_cap_mb ?? 25;
    if (typeof mb !== 'number' || !(mb > 0)) throw new RangeError('bucket_cap_mb must be a positive number');
    Object.defineProperty(this, '_process_group', { value: a.process_group ?? null, writable: true, enumerable: false });
    const hidden = (k: string, v: unknown) => Object.defineProperty(this, k, { value: v, writable: true, enumerable: false, configurable: true });
    hidden('device_ids', device_ids);
    hidden('output_device', a.output_device ?? (device_ids && device_ids.length ? device_ids[0] : null));
    hidden('broadcast_buffers', a.broadcast_buffers ?? true);
    hidden('bucket_bytes_cap', Math.round(mb * 1024 * 1024));
    hidden('find_unused_parameters', Boolean(a.find_unused_parameters ?? false));
    hidden('require_backward_grad_sync', true);
    hidden('require_forward_param_sync', true);
    const pg = dist._native_group(this._process_group);
    // _sync_module_states: rank 0's parameters and buffers everywhere.
    const states = [...module.parameters(), ...module.buffers()].map((t) => t.detach());
    dist._broadcast_coalesced(states, this.groupSrc(), BROADCAST_BUCKET, this._process_group);
    hidden('_reducer', native._ddp_reducer(pg, params.map((p) => p._h), this.bucket_bytes_cap, this.find_unused_parameters));
  }

  /** Global rank 0 of the group (its first member). */
  private groupSrc(): number {
    const g = this._process_group;
    return g && g._ranks.length ? g._ranks[0] : 0;
  }

  override forward(...inputs: any[]): any {
    const sync = is_grad_enabled() && this.require_backward_grad_sync;
    if (this.broadcast_buffers && this.require_forward_param_sync && dist.get_world_size(this._process_group) > 1) {
      const bufs = this.module.buffers().map((b) => b.detach());
      if (bufs.length) dist._broadcast_coalesced(bufs, this.groupSrc(), BROADCAST_BUCKET, this._process_group);
    }
    // After the first synced iteration: buckets in the order gradients became ready (once).
    if (is_grad_enabled()) native._ddp_rebuild_buckets(this._reducer);
    const out = this.module(...inputs);
    if (sync) {
      this.require_forward_param_sync = true;
      native._ddp_prepare_for_backward(this._reducer);
    } else {
      this.require_forward_param_sync = false;
    }
    return out;
  }

  /**
   * Disables gradient all-reduce: backward passes run inside accumulate gradients locally, and the
   * first synced backward after reduces the accumulated sum. With `fn`, runs it and restores;
   * without, returns a guard for `using`.
   */
  no_sync<T>(fn: () => T): T;
  no_sync(): NoSyncGuard;
  no_sync(fn?: () => any): any {
    const g = new NoSyncGuard(this);
    if (!fn) return g;
    try {
      return fn();
    } finally {
      g.exit();
    }
  }

  /** torch-node addition: the parameter indices of each bucket, in reduction order. */
  _bucket_indices(): number[][] {
    return native._ddp_buckets(this._reducer);
  }
  /** torch-node addition: {iterations, overlapped, buckets}: how many buckets of the last backward were all-reduced while backward was still running. */
  _ddp_stats(): { iterations: number; overlapped: number; buckets: number } {
    const [iterations, overlapped, buckets] = native._ddp_stats(this._reducer);
    return { iterations, overlapped, buckets };
  }
  /**
   * torch-node addition for bench/: with `false`, buckets are all-reduced only once backward has
   * ended (no overlap), to measure what the overlap saves.
   */
  _set_overlap(on: boolean): void {
    native._ddp_set_overlap(this._reducer, Boolean(on));
  }
  override extra_repr(): string {
    return '';
  }
}

export type { Tensor };
