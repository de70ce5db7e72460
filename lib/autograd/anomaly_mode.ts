/**
 * torch.autograd.detect_anomaly / set_detect_anomaly: libtorch's anomaly mode
 * (torch::autograd::AnomalyMode). With it on, backward checks every node's outputs and raises
 * "Function 'XBackward0' returned nan values in its 0th output." Without Python, libtorch records no
 * forward traceback for the node, so the message names the node only.
 */
import { native } from '../binding';

/** detect_anomaly(fn, check_nan=true): runs fn with anomaly detection on, then restores the mode. */
export function detect_anomaly<T>(fn: () => T, check_nan = true): T {
  if (typeof fn !== 'function') throw new TypeError('detect_anomaly(): argument \'fn\' must be a function');
  const prevCheck = native._is_anomaly_check_nan_enabled();
  const prev = native._set_anomaly_enabled(true, check_nan);
  try {
    return fn();
  } finally {
    native._set_anomaly_enabled(prev, prevCheck);
  }
}

/** set_detect_anomaly(mode, check_nan=true): turns anomaly detection on or off now. */
export function set_detect_anomaly(mode: boolean, check_nan = true): void {
  if (typeof mode !== 'boolean') throw new TypeError('set_detect_anomaly(): argument \'mode\' must be a boolean');
  native._set_anomaly_enabled(mode, check_nan);
}

/** Whether anomaly detection is on (torch.is_anomaly_enabled). */
export function is_anomaly_enabled(): boolean {
  return native._is_anomaly_enabled();
}
