/**
 * torch.backends: settings of libtorch's backends.
 *
 * torch.backends.quantized.engine: the quantized engine the dynamic-quantization kernels use
 * (process-wide, shared by every worker_thread). torch-node starts with the fastest engine this
 * libtorch has: 'x86', then 'fbgemm', then 'onednn', then 'qnnpack' (on x86 with Debian's
 * libtorch, onednn ran a 64×512→256 dynamic Linear in 126 µs against qnnpack's 331 µs).
 * Weights are packed for the engine current when a module is quantized; change the engine before
 * quantize_dynamic().
 *
 * Example:
 *   torch.backends.quantized.supported_engines  // ['qnnpack', 'none', 'onednn']
 *   torch.backends.quantized.engine = 'qnnpack';
 */
import { native } from './binding';

const PREFERENCE = ['x86', 'fbgemm', 'onednn', 'qnnpack'];

/** torch.backends.quantized */
export const quantized = {
  /** The names of the quantized engines this libtorch supports ('none' included, as PyTorch lists it). */
  get supported_engines(): string[] {
    return native._q_engines();
  },
  /** The current quantized engine; assign a name from supported_engines to change it. */
  get engine(): string {
    return native._q_engine();
  },
  set engine(name: string) {
    if (typeof name !== 'string') throw new TypeError(`torch.backends.quantized.engine must be a string, not ${typeof name}`);
    native._q_set_engine(name);
  },
};

/** @internal Picks the fastest engine, once per process (native code remembers it, so a
 * worker_thread loading torch-node later does not undo an engine the user chose). */
export function _default_engine(): void {
  native._q_default_engine(PREFERENCE);
}

_default_engine();
