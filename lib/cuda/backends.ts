/**
 * torch.backends.cudnn: `benchmark` and `deterministic` flags (libtorch's global context; settable
 * on any build, effective where cuDNN is used), `is_available()`, `version()`.
 */
import { native } from '../binding';

/** torch.backends.cudnn */
export const cudnn = {
  /** Let cuDNN benchmark convolution algorithms and pick the fastest for each shape. */
  get benchmark(): boolean {
    return native._cudnn_flags(null, null)[0];
  },
  set benchmark(v: boolean) {
    native._cudnn_flags(Boolean(v), null);
  },
  /** Use only deterministic cuDNN algorithms. */
  get deterministic(): boolean {
    return native._cudnn_flags(null, null)[1];
  },
  set deterministic(v: boolean) {
    native._cudnn_flags(null, Boolean(v));
  },
  /** Whether libtorch was built with cuDNN. */
  is_available(): boolean {
    return native._cudnn_flags(null, null)[2];
  },
  /** cuDNN's version, or null without cuDNN. */
  version(): number | null {
    return native._cudnn_flags(null, null)[3];
  },
};
