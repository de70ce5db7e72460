/**
 * torch.cuda. On builds or machines without CUDA these answer as PyTorch without CUDA does:
 * is_available() is false, device_count() 0, the memory statistics 0, manual_seed and empty_cache
 * do nothing, and what needs a device (current_device, set_device, get_device_name, synchronize,
 * reset_peak_memory_stats) throws a TorchError with PyTorch's message: "Torch not compiled with
 * CUDA enabled" on a CPU build; on a CUDA build c10's (native/cuda/cuda.cc), "Found no NVIDIA
 * driver on your system. ..." or "No CUDA GPUs are available".
 */
import { native } from '../binding';
import { device, DeviceLike } from '../device';
import { TorchError, OutOfMemoryError } from '../errors';
import * as amp from './amp';

export { amp };
/** torch.cuda.OutOfMemoryError: an allocation that failed for lack of memory (c10::OutOfMemoryError). */
export { OutOfMemoryError };

/** Whether CUDA can be used: a CUDA build of libtorch and at least one device. */
export function is_available(): boolean {
  return native._cuda_info()[0];
}
/** The number of CUDA devices (0 without CUDA). */
export function device_count(): number {
  return native._cuda_info()[1];
}
/** Whether CUDA state has been initialized (true once a device is present and used). */
export function is_initialized(): boolean {
  return is_available();
}

function index(d: DeviceLike | number | null | undefined, fname: string): number | null {
  if (d === undefined || d === null) return null;
  if (typeof d === 'number') {
    if (!Number.isInteger(d)) throw new TypeError(`${fname}(): device must be an int, a string or torch.device`);
    return d;
  }
  const dv = d instanceof device ? d : new device(d);
  if (dv.type !== 'cuda') throw new RangeError(`Expected a cuda device, but got: ${dv}`);
  return dv.index;
}

/** The index of the current CUDA device. */
export function current_device(): number {
  return native._cuda_current_device();
}
/** Sets the current CUDA device (a negative index does nothing, as in PyTorch). */
export function set_device(device: DeviceLike | number): void {
  const i = index(device, 'set_device');
  native._cuda_set_device(i ?? -1);
}
/** The name of a device (default: the current one). */
export function get_device_name(device?: DeviceLike | number | null): string {
  return native._cuda_get_device_name(index(device, 'get_device_name'));
}
/** [major, minor] compute capability of a device (default: the current one). */
export function get_device_capability(device?: DeviceLike | number | null): [number, number] {
  return native._cuda_get_device_capability(index(device, 'get_device_capability'));
}
/** Waits for all kernels on a device (default: the current one) to complete. */
export function synchronize(device?: DeviceLike | number | null): void {
  native._cuda_synchronize(index(device, 'synchronize'));
}
/** Seeds the current device's random number generator (silently ignored without CUDA). */
export function manual_seed(seed: number | bigint): void {
  native._cuda_manual_seed(Number(seed), false);
}
/** Seeds every device's random number generator (silently ignored without CUDA). */
export function manual_seed_all(seed: number | bigint): void {
  native._cuda_manual_seed(Number(seed), true);
}
/** Bytes occupied by tensors on a device (the caching allocator's count). */
export function memory_allocated(device?: DeviceLike | number | null): number {
  return native._cuda_memory_stats(index(device, 'memory_allocated'))[0];
}
/** Peak of memory_allocated since the start or the last reset_peak_memory_stats(). */
export function max_memory_allocated(device?: DeviceLike | number | null): number {
  return native._cuda_memory_stats(index(device, 'max_memory_allocated'))[1];
}
/** Bytes held by the caching allocator on a device. */
export function memory_reserved(device?: DeviceLike | number | null): number {
  return native._cuda_memory_stats(index(device, 'memory_reserved'))[2];
}
/** Peak of memory_reserved. */
export function max_memory_reserved(device?: DeviceLike | number | null): number {
  return native._cuda_memory_stats(index(device, 'max_memory_reserved'))[3];
}
/** Resets the peaks tracked by max_memory_allocated / max_memory_reserved. */
export function reset_peak_memory_stats(device?: DeviceLike | number | null): void {
  native._cuda_reset_peak_memory_stats(index(device, 'reset_peak_memory_stats'));
}
/** Releases unused cached memory to the driver (does nothing without CUDA). */
export function empty_cache(): void {
  native._cuda_empty_cache();
}
/** Whether the current device supports bfloat16. */
export function is_bf16_supported(): boolean {
  if (!is_available()) return false;
  return get_device_capability()[0] >= 8;
}

/** @internal */
export function _lazy_check(): void {
  if (!is_available()) throw new TorchError('Torch not compiled with CUDA enabled');
}
