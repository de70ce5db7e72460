/**
 * torch.utils.data._utils.pin_memory: copies every tensor of a batch (nested in arrays, plain
 * objects and Maps) into page-locked host memory, as PyTorch's DataLoader does with
 * `pin_memory=True`. Strings and other leaves pass through; objects with their own
 * `pin_memory()` method are asked to pin themselves.
 */
import { Tensor } from '../../../tensor';
import type { DeviceLike } from '../../../device';

export function pin_memory(data: any, device?: DeviceLike | null): any {
  if (data instanceof Tensor) return data.pin_memory(device ?? undefined);
  if (typeof data === 'string' || data === null || typeof data !== 'object') return data;
  if (Array.isArray(data)) return data.map((d) => pin_memory(d, device));
  if (data instanceof Map) return new Map([...data].map(([k, v]) => [k, pin_memory(v, device)]));
  if (Object.getPrototypeOf(data) === Object.prototype) {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(data)) out[k] = pin_memory(v, device);
    return out;
  }
  if (typeof data.pin_memory === 'function') return data.pin_memory();
  return data;
}
