/**
 * torch.distributed: process groups and collectives over libtorch's c10d (ProcessGroupGloo on
 * CPU, ProcessGroupNCCL on CUDA builds) with its TCPStore / FileStore rendezvous.
 *
 * Sync story: PyTorch's collectives are synchronous, and so are these: `all_reduce(t)` starts the
 * collective on the backend's threads and waits on the calling (JS) thread, so the event loop is
 * blocked for as long as the collective takes — bounded by the group's timeout, after which (or as
 * soon as a peer is gone) it throws a TorchError. That is what training scripts want. Code that
 * must keep the loop running passes `{async_op: true}` and gets a {@link Work}: `work.wait()`
 * blocks like PyTorch's, `await work.wait_async()` waits on the libuv thread pool instead.
 *
 * Differences from PyTorch 1.13, all additions: `reduce_scatter` works on Gloo (an all_reduce of
 * the stacked inputs, then this rank's slice); `Work.wait_async()`. ReduceOp.AVG on Gloo raises
 * "Cannot use ReduceOp.AVG with Gloo" as PyTorch 1.13 does.
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { TorchError } from '../errors';
import { parseArgs, timeoutMs, checkInt, Timedelta } from './args';

export type { Timedelta } from './args';

/** torch.distributed.ReduceOp: SUM, AVG, PRODUCT, MIN, MAX, BAND, BOR, BXOR. */
export class ReduceOp {
  /** @internal */
  constructor(readonly name: string, readonly _code: number) {}
  static readonly SUM = new ReduceOp('SUM', 0);
  static readonly AVG = new ReduceOp('AVG', 1);
  static readonly PRODUCT = new ReduceOp('PRODUCT', 2);
  static readonly MIN = new ReduceOp('MIN', 3);
  static readonly MAX = new ReduceOp('MAX', 4);
  static readonly BAND = new ReduceOp('BAND', 5);
  static readonly BOR = new ReduceOp('BOR', 6);
  static readonly BXOR = new ReduceOp('BXOR', 7);
  toString(): string {
    return `ReduceOp.${this.name}`;
  }
}

/** torch.distributed.Backend names. */
export const Backend = { GLOO: 'gloo', NCCL: 'nccl', MPI: 'mpi', UNDEFINED: 'undefined' } as const;

/** The default timeout of process groups: 30 minutes, as PyTorch's default_pg_timeout. */
export const default_pg_timeout = 1800;

// ------------------------------------------------------------------ stores

/** torch.distributed.Store: a key-value store shared by the processes of a job. */
export class Store {
  /** @internal */
  constructor(readonly _s: object) {}
  /** Sets `key` to `value` (a string or bytes). */
  set(key: string, value: string | Uint8Array): void {
    native._c10d_store_set(this._s, key, value);
  }
  /** The value of `key` as a Buffer; waits for the key (up to the store's timeout). */
  get(key: string): Buffer {
    return native._c10d_store_get(this._s, key);
  }
  /** Adds `amount` to the integer at `key` (0 when absent) and returns the new value. */
  add(key: string, amount: number): number {
    return native._c10d_store_add(this._s, key, checkInt(amount, 'amount'));
  }
  /** Waits until every key exists; throws a TorchError after `timeout` (default: the store's). */
  wait(keys: string[], timeout?: Timedelta): void {
    native._c10d_store_wait(this._s, keys, timeout === undefined ? null : timeoutMs(timeout));
  }
  delete_key(key: string): boolean {
    return native._c10d_store_delete_key(this._s, key);
  }
  num_keys(): number {
    return native._c10d_store_num_keys(this._s);
  }
  set_timeout(timeout: Timedelta): void {
    native._c10d_store_set_timeout(this._s, timeoutMs(timeout));
  }
}

/**
 * torch.distributed.TCPStore: a store served by one process (`is_master`) over TCP.
 *
 * Args: host_name, port, world_size (null: unknown), is_master (false), timeout (300 s),
 * wait_for_workers (true: the server waits until world_size clients connected).
 */
export class TCPStore extends Store {
  constructor(host_name: string, port: number, ...rest: any[]) {
    const a = parseArgs('TCPStore', ['host_name', 'port', 'world_size', 'is_master', 'timeout', 'wait_for_workers'], [host_name, port, ...rest], 2);
    if (typeof a.host_name !== 'string') throw new TypeError("argument 'host_name' must be str");
    super(
      native._c10d_tcp_store(a.host_name, checkInt(a.port, 'port'), a.world_size ?? null, Boolean(a.is_master ?? false),
        timeoutMs(a.timeout ?? 300), a.wait_for_workers ?? true),
    );
  }
  /** The port the server listens on (useful with port 0). */
  get port(): number {
    return native._c10d_tcp_store_port(this._s);
  }
}

/** torch.distributed.FileStore(file_name, world_size=-1): a store in a file on a shared filesystem. */
export class FileStore extends Store {
  constructor(file_name: string, ...rest: any[]) {
    const a = parseArgs('FileStore', ['file_name', 'world_size'], [file_name, ...rest], 1);
    super(native._c10d_file_store(String(a.file_name), checkInt(a.world_size ?? -1, 'world_size')));
  }
}

/** torch.distributed.PrefixStore(prefix, store): prefixes every key with `prefix/`. */
export class PrefixStore extends Store {
  readonly underlying_store: Store;
  constructor(prefix: string, store: Store) {
    if (!(store instanceof Store)) throw new TypeError("argument 'store' must be a torch.distributed.Store");
    super(native._c10d_prefix_store(String(prefix), store._s));
    this.underlying_store = store;
  }
}

// ------------------------------------------------------------------ work and groups

/**
 * The handle of an asynchronous collective (`{async_op: true}`, isend, irecv). Keeps the tensors
 * it reads and writes alive until it completes.
 */
export class Work {
  /** @internal */
  constructor(readonly _w: object, private readonly _onSource?: (r: number) => number) {}
  /** Blocks until the collective completed; returns true. Throws a TorchError if it failed. */
  wait(timeout?: Timedelta): boolean {
    return native._c10d_work_wait(this._w, timeout === undefined ? null : timeoutMs(timeout));
  }
  /** Resolves once the collective completed, waiting on the libuv thread pool (torch-node addition). */
  wait_async(timeout?: Timedelta): Promise<boolean> {
    return native._c10d_work_wait_async(this._w, timeout === undefined ? null : timeoutMs(timeout));
  }
  /** Whether the collective completed (never blocks). */
  is_completed(): boolean {
    return native._c10d_work_is_completed(this._w);
  }
  /** For a recv from any source: the global rank of the sender (after wait()). */
  _source_rank(): number {
    const r = native._c10d_work_source_rank(this._w);
    return this._onSource ? this._onSource(r) : r;
  }
}

/**
 * A process group: torch.distributed's ProcessGroup. `group.WORLD` is the default group made by
 * init_process_group; new_group() makes others.
 */
export class ProcessGroup {
  /** @internal */
  constructor(
    /** @internal */ public _pg: object | null,
    /** @internal global ranks of the members, in group-rank order */ readonly _ranks: number[],
    /** @internal */ readonly _backend: string,
    /** @internal */ readonly _groupRank: number,
  ) {}
  /** This process's rank in the group. */
  rank(): number {
    return this._groupRank;
  }
  /** The number of processes in the group. */
  size(): number {
    return this._ranks.length;
  }
  name(): string {
    return this._backend;
  }
}

/** torch.distributed.GroupMember: WORLD (the default group) and NON_GROUP_MEMBER. */
export class GroupMember {
  static WORLD: ProcessGroup | null = null;
  static readonly NON_GROUP_MEMBER = new ProcessGroup(null, [], 'undefined', -1);
}
/** torch.distributed.group.WORLD */
export const group = {
  get WORLD(): ProcessGroup | null {
    return GroupMember.WORLD;
  },
};

interface WorldState {
  store: Store;
  backend: string;
  rank: number;
  size: number;
  timeout: number;
  groupCount: number;
  groups: ProcessGroup[];
}
let world: WorldState | null = null;

/** Whether torch.distributed can be used (libtorch was built with c10d). */
export function is_available(): boolean {
  return typeof native._c10d_available === 'function';
}
export function is_gloo_available(): boolean {
  return is_available() && native._c10d_available().gloo;
}
export function is_nccl_available(): boolean {
  return is_available() && native._c10d_available().nccl;
}
export function is_mpi_available(): boolean {
  return false;
}
/** Whether the default process group has been initialized. */
export function is_initialized(): boolean {
  return world !== null;
}
/** Whether this process was started by torchrun (TORCHELASTIC_RUN_ID is set). */
export function is_torchelastic_launched(): boolean {
  return process.env.TORCHELASTIC_RUN_ID !== undefined;
}

function requireWorld(): WorldState {
  if (!world) throw new TorchError('Default process group has not been initialized, please make sure to call init_process_group.');
  return world;
}

function resolveGroup(g: ProcessGroup | null | undefined): ProcessGroup {
  requireWorld();
  if (g === undefined || g === null) return GroupMember.WORLD!;
  if (!(g instanceof ProcessGroup)) throw new TypeError("argument 'group' must be a ProcessGroup");
  return g;
}

/** The group rank of global rank `r` in `g` (throws if not a member). */
function groupRank(g: ProcessGroup, r: number, what: string): number {
  checkInt(r, what);
  if (g === GroupMember.WORLD) {
    if (r < 0 || r >= g.size()) throw new RangeError(`${what} ${r} is out of range for world_size ${g.size()}`);
    return r;
  }
  const i = g._ranks.indexOf(r);
  if (i < 0) throw new RangeError(`The global rank ${r} is not part of the group`);
  return i;
}

function notMember(g: ProcessGroup): boolean {
  return g === GroupMember.NON_GROUP_MEMBER || g._groupRank < 0;
}

function livePG(g: ProcessGroup): object {
  if (!g._pg) throw new TorchError('The process group was destroyed (destroy_process_group)');
  return g._pg;
}

function rendezvous(init_method: string, rank: number, world_size: number, timeout: number): { store: Store; rank: number; size: number } {
  const url = new URL(init_method);
  const q = url.searchParams;
  if (q.has('rank')) rank = Number(q.get('rank'));
  if (q.has('world_size')) world_size = Number(q.get('world_size'));
  const env = process.env;
  if (url.protocol === 'env:') {
    if (rank < 0) {
      if (env.RANK === undefined) throw new RangeError('Error initializing torch.distributed using env:// rendezvous: environment variable RANK expected, but not set');
      rank = Number(env.RANK);
    }
    if (world_size < 0) {
      if (env.WORLD_SIZE === undefined) throw new RangeError('Error initializing torch.distributed using env:// rendezvous: environment variable WORLD_SIZE expected, but not set');
      world_size = Number(env.WORLD_SIZE);
    }
    if (env.MASTER_ADDR === undefined) throw new RangeError('Error initializing torch.distributed using env:// rendezvous: environment variable MASTER_ADDR expected, but not set');
    if (env.MASTER_PORT === undefined) throw new RangeError('Error initializing torch.distributed using env:// rendezvous: environment variable MASTER_PORT expected, but not set');
    const s = new TCPStore(env.MASTER_ADDR, Number(env.MASTER_PORT), world_size, rank === 0, timeout / 1000);
    return { store: s, rank, size: world_size };
  }
  if (url.protocol === 'tcp:') {
    if (rank < 0) throw new RangeError('rank parameter missing');
    if (world_size < 0) throw new RangeError('world size parameter missing');
    const s = new TCPStore(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port), world_size, rank === 0, timeout / 1000);
    return { store: s, rank, size: world_size };
  }
  if (url.protocol === 'file:') {
    if (rank < 0) throw new RangeError('rank parameter missing');
    if (world_size < 0) throw new RangeError('world size parameter missing');
    const s = new FileStore(decodeURIComponent(url.pathname), world_size);
    s.set_timeout(timeout / 1000);
    return { store: s, rank, size: world_size };
  }
  throw new RangeError(`No rendezvous handler for ${url.protocol}//`);
}

/**
 * Initializes the default process group (PyTorch's init_process_group).
 *
 * Args:
 *   backend: 'gloo' (CPU tensors) or 'nccl' (CUDA builds). Default: 'nccl' when CUDA is
 *     available, else 'gloo'.
 *   init_method: 'env://' (default: MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE),
 *     'tcp://host:port', or 'file:///path'. Mutually exclusive with `store`.
 *   timeout: seconds, or {minutes: …} (default 30 minutes): bounds every collective.
 *   world_size, rank: required with tcp:// and file:// (or given in the URL's query).
 *   store: a {@link Store} shared by all processes (then rank and world_size are required).
 *
 * Example:
 *   dist.init_process_group('gloo', {init_method: 'tcp://127.0.0.1:29500', rank, world_size: 2});
 */
export function init_process_group(...args: any[]): void {
  const a = parseArgs('init_process_group', ['backend', 'init_method', 'timeout', 'world_size', 'rank', 'store', 'group_name', 'pg_options'], args);
  if (world) throw new TorchError('trying to initialize the default process group twice!');
  let backend: string = a.backend ?? (native._cuda_info()[0] ? 'nccl' : 'gloo');
  if (typeof backend !== 'string') throw new TypeError("argument 'backend' must be str");
  backend = backend.toLowerCase();
  if (!['gloo', 'nccl', 'mpi'].includes(backend)) throw new RangeError(`Invalid backend: '${backend}'`);
  const timeout = timeoutMs(a.timeout ?? default_pg_timeout);
  let rank: number = a.rank ?? -1;
  let size: number = a.world_size ?? -1;
  checkInt(rank, 'rank');
  checkInt(size, 'world_size');
  let store: Store;
  if (a.store !== undefined && a.store !== null) {
    if (a.init_method !== undefined && a.init_method !== null) throw new RangeError('Cannot specify both init_method and store.');
    if (!(a.store instanceof Store)) throw new TypeError("argument 'store' must be a torch.distributed.Store");
    if (size <= 0) throw new RangeError('world_size must be positive if using store');
    if (rank < 0) throw new RangeError('rank must be non-negative if using store');
    store = a.store;
  } else {
    const r = rendezvous(a.init_method ?? 'env://', rank, size, timeout);
    store = r.store;
    rank = r.rank;
    size = r.size;
  }
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`world_size must be a positive integer, got ${size}`);
  if (!Number.isInteger(rank) || rank < 0 || rank >= size) throw new RangeError(`rank ${rank} is out of range for world_size ${size}`);
  const prefixed = new PrefixStore('default_pg', store);
  const pg = native._c10d_new_group(backend, prefixed._s, rank, size, timeout);
  const ranks = Array.from({ length: size }, (_, i) => i);
  const g = new ProcessGroup(pg, ranks, backend, rank);
  world = { store, backend, rank, size, timeout, groupCount: 0, groups: [g] };
  GroupMember.WORLD = g;
}

/**
 * Destroys a process group (default: the default group, and with it every group).
 * Collectives on a destroyed group raise a TorchError.
 */
export function destroy_process_group(group?: ProcessGroup | null): void {
  const w = requireWorld();
  if (group === undefined || group === null || group === GroupMember.WORLD) {
    for (const g of w.groups) if (g._pg) native._c10d_destroy(g._pg);
    for (const g of w.groups) g._pg = null;
    world = null;
    GroupMember.WORLD = null;
    return;
  }
  if (group === GroupMember.NON_GROUP_MEMBER) return;
  if (group._pg) native._c10d_destroy(group._pg);
  group._pg = null;
  w.groups = w.groups.filter((g) => g !== group);
}

/** This process's rank in `group` (default: the world); -1 if it is not a member. */
export function get_rank(group?: ProcessGroup | null): number {
  const g = resolveGroup(group);
  return notMember(g) ? -1 : g.rank();
}
/** The number of processes in `group` (default: the world); -1 for a non-member. */
export function get_world_size(group?: ProcessGroup | null): number {
  const g = resolveGroup(group);
  return notMember(g) ? -1 : g.size();
}
/** The backend of `group` (default: the world): 'gloo' or 'nccl'. */
export function get_backend(group?: ProcessGroup | null): string {
  const g = resolveGroup(group);
  if (notMember(g)) throw new RangeError('Invalid process group specified');
  return g._backend;
}

/**
 * Creates a group of a subset of the processes. Every process of the world must call it, with the
 * same ranks, in the same order; non-members get GroupMember.NON_GROUP_MEMBER.
 *
 * Args: ranks (default: all), timeout, backend (default: the world's).
 */
export function new_group(...args: any[]): ProcessGroup {
  const a = parseArgs('new_group', ['ranks', 'timeout', 'backend', 'pg_options'], args);
  const w = requireWorld();
  let ranks: number[] = a.ranks ?? Array.from({ length: w.size }, (_, i) => i);
  if (!Array.isArray(ranks)) throw new TypeError("argument 'ranks' must be a list of ints");
  ranks = [...ranks].map((r) => checkInt(r, 'ranks')).sort((x, y) => x - y);
  for (const r of ranks) if (r < 0 || r >= w.size) throw new RangeError(`The new group's rank should be within the world_size set by init_process_group, got ${r}`);
  if (new Set(ranks).size !== ranks.length) throw new RangeError('ranks must be unique');
  const backend = (a.backend ?? w.backend).toLowerCase();
  const timeout = a.timeout === undefined || a.timeout === null ? w.timeout : timeoutMs(a.timeout);
  const name = String(++w.groupCount);
  const me = ranks.indexOf(w.rank);
  if (me < 0) return GroupMember.NON_GROUP_MEMBER;
  const store = new PrefixStore(`${name}/`, w.store);
  const pg = native._c10d_new_group(backend, store._s, me, ranks.length, timeout);
  const g = new ProcessGroup(pg, ranks, backend, me);
  w.groups.push(g);
  return g;
}

function tensorArg(v: unknown, name: string): Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`argument '${name}' must be Tensor, not ${v === null ? 'null' : typeof v}`);
  return v;
}
function tensorList(v: unknown, name: string): Tensor[] {
  if (!Array.isArray(v) || !v.every((x) => x instanceof Tensor)) throw new TypeError(`argument '${name}' must be a list of Tensors`);
  return v;
}
function opArg(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (!(v instanceof ReduceOp)) throw new TypeError("argument 'op' must be a torch.distributed.ReduceOp");
  return v._code;
}
function finish(w: object, async_op: unknown): Work | null {
  const work = new Work(w);
  if (async_op) return work;
  work.wait();
  return null;
}

/**
 * Broadcasts `tensor` from global rank `src` to the group, in place.
 *
 * Args: tensor, src, group (default: world), async_op (false): true returns a {@link Work}.
 */
export function broadcast(...args: any[]): Work | null {
  const a = parseArgs('broadcast', ['tensor', 'src', 'group', 'async_op'], args, 2);
  const t = tensorArg(a.tensor, 'tensor');
  const g = resolveGroup(a.group);
  if (notMember(g)) return null;
  return finish(native._c10d_broadcast(livePG(g), t._h, groupRank(g, a.src, 'src')), a.async_op);
}

/**
 * Reduces `tensor` across the group with `op`, in place, on every rank.
 *
 * Args: tensor, op (ReduceOp.SUM), group, async_op.
 * Example: dist.all_reduce(t, {op: dist.ReduceOp.MAX})
 */
export function all_reduce(...args: any[]): Work | null {
  const a = parseArgs('all_reduce', ['tensor', 'op', 'group', 'async_op'], args, 1);
  const t = tensorArg(a.tensor, 'tensor');
  const g = resolveGroup(a.group);
  if (notMember(g)) return null;
  return finish(native._c10d_allreduce(livePG(g), t._h, opArg(a.op)), a.async_op);
}

/** Reduces `tensor` across the group into global rank `dst`. Args: tensor, dst, op, group, async_op. */
export function reduce(...args: any[]): Work | null {
  const a = parseArgs('reduce', ['tensor', 'dst', 'op', 'group', 'async_op'], args, 2);
  const t = tensorArg(a.tensor, 'tensor');
  const g = resolveGroup(a.group);
  if (notMember(g)) return null;
  return finish(native._c10d_reduce(livePG(g), t._h, groupRank(g, a.dst, 'dst'), opArg(a.op)), a.async_op);
}

/**
 * Gathers `tensor` from every rank into `tensor_list` (one tensor per rank, same shape).
 * Args: tensor_list, tensor, group, async_op.
 */
export function all_gather(...args: any[]): Work | null {
  const a = parseArgs('all_gather', ['tensor_list', 'tensor', 'group', 'async_op'], args, 2);
  const out = tensorList(a.tensor_list, 'tensor_list');
  const t = tensorArg(a.tensor, 'tensor');
  const g = resolveGroup(a.group);
  if (notMember(g)) return null;
  return finish(native._c10d_allgather(livePG(g), out.map((x) => x._h), t._h), a.async_op);
}

/**
 * Gathers `tensor` from every rank into `gather_list` on global rank `dst` (only there).
 * Args: tensor, gather_list (null), dst (0), group, async_op.
 */
export function gather(...args: any[]): Work | null {
  const a = parseArgs('gather', ['tensor', 'gather_list', 'dst', 'group', 'async_op'], args, 1);
  const t = tensorArg(a.tensor, 'tensor');
  const g = resolveGroup(a.group);
  if (notMember(g)) return null;
  const list = a.gather_list === undefined || a.gather_list === null ? null : tensorList(a.gather_list, 'gather_list').map((x) => x._h);
  return finish(native._c10d_gather(livePG(g), list, t._h, groupRank(g, a.dst ?? 0, 'dst')), a.async_op);
}

/**
 * Scatters `scatter_list` (given on global rank `src`) so that rank i receives element i into
 * `tensor`. Args: tensor, scatter_list (null), src (0), group, async_op.
 */
export function scatter(...args: any[]): Work | null {
  const a = parseArgs('scatter', ['tensor', 'scatter_list', 'src', 'group', 'async_op'], args, 1);
  const t = tensorArg(a.tensor, 'tensor');
  const g = resolveGroup(a.group);
  if (notMember(g)) return null;
  const list = a.scatter_list === undefined || a.scatter_list === null ? null : tensorList(a.scatter_list, 'scatter_list').map((x) => x._h);
  return finish(native._c10d_scatter(livePG(g), t._h, list, groupRank(g, a.src ?? 0, 'src')), a.async_op);
}

/**
 * Reduces `input_list[i]` across ranks with `op` into `output` on rank i.
 * Args: output, input_list, op, group, async_op. (On Gloo: emulated, see the module comment.)
 */
export function reduce_scatter(...args: any[]): Work | null {
  const a = parseArgs('reduce_scatter', ['output', 'input_list', 'op', 'group', 'async_op'], args, 2);
  const out = tensorArg(a.output, 'output');
  const ins = tensorList(a.input_list, 'input_list');
  const g = resolveGroup(a.group);
  if (notMember(g)) return null;
  return finish(native._c10d_reduce_scatter(livePG(g), out._h, ins.map((x) => x._h), opArg(a.op)), a.async_op);
}

/** Waits until every rank of the group reached the barrier. Args: group, async_op. */
export function barrier(...args: any[]): Work | null {
  const a = parseArgs('barrier', ['group', 'async_op', 'device_ids'], args);
  const g = resolveGroup(a.group);
  if (notMember(g)) return null;
  return finish(native._c10d_barrier(livePG(g)), a.async_op);
}

/** Sends `tensor` to global rank `dst` without waiting. Args: tensor, dst, group, tag (0). */
export function isend(...args: any[]): Work | null {
  const a = parseArgs('isend', ['tensor', 'dst', 'group', 'tag'], args, 2);
  const t = tensorArg(a.tensor, 'tensor');
  const g = resolveGroup(a.group);
  if (notMember(g)) return null;
  return new Work(native._c10d_send(livePG(g), t._h, groupRank(g, a.dst, 'dst'), checkInt(a.tag ?? 0, 'tag')));
}

/** Receives into `tensor` from global rank `src` (null: any) without waiting. Args: tensor, src, group, tag. */
export function irecv(...args: any[]): Work | null {
  const a = parseArgs('irecv', ['tensor', 'src', 'group', 'tag'], args, 1);
  const t = tensorArg(a.tensor, 'tensor');
  const g = resolveGroup(a.group);
  if (notMember(g)) return null;
  const src = a.src === undefined || a.src === null ? -1 : groupRank(g, a.src, 'src');
  return new Work(native._c10d_recv(livePG(g), t._h, src, checkInt(a.tag ?? 0, 'tag')), (r) => g._ranks[r] ?? r);
}

/** Sends `tensor` to global rank `dst` and waits. Args: tensor, dst, group, tag. */
export function send(...args: any[]): void {
  const w = isend(...args);
  if (w) w.wait();
}

/** Receives into `tensor` from global rank `src` (null: any) and waits; returns the sender's rank. */
export function recv(...args: any[]): number {
  const a = parseArgs('recv', ['tensor', 'src', 'group', 'tag'], args, 1);
  const w = irecv(a.tensor, a.src ?? null, a.group ?? null, a.tag ?? 0);
  if (!w) return -1;
  w.wait();
  return a.src === undefined || a.src === null ? w._source_rank() : a.src;
}

/** @internal The native group of `g` (default: world), for DistributedDataParallel. */
export function _native_group(g?: ProcessGroup | null): object {
  const pg = resolveGroup(g);
  if (notMember(pg)) throw new RangeError('this process is not a member of the group');
  return livePG(pg);
}

/** @internal Broadcasts tensors from global rank `src` in flattened buckets (DDP's _sync_module_states). */
export function _broadcast_coalesced(tensors: Tensor[], src: number, bucket_bytes: number, g?: ProcessGroup | null): void {
  const pg = resolveGroup(g);
  if (notMember(pg) || tensors.length === 0) return;
  native._c10d_broadcast_coalesced(livePG(pg), tensors.map((t) => t._h), groupRank(pg, src, 'src'), bucket_bytes);
}
