/**
 * Lazy modules (PyTorch's LazyModuleMixin): parameters start as nn.UninitializedParameter and get
 * their shapes from the first input; the module then becomes its regular class (LazyLinear →
 * Linear) in place. `has_uninitialized_params()` tells whether that happened. Loading a
 * state_dict into a lazy module materializes its parameters with the saved shapes (as PyTorch).
 */
import { Module } from '../module';
import { Tensor } from '../../tensor';

export const LazyModuleMixin = {
  /**
   * @internal Makes `m` lazy: a forward pre-hook runs m.initialize_parameters(...args) and then
   * turns m into an instance of `become`.
   */
  install(m: Module, become: Function): void {
    const handle = m.register_forward_pre_hook((mod: Module, args: any[]) => {
      (mod as any).initialize_parameters(...args);
      if (mod.has_uninitialized_params()) {
        throw new TypeError(`module ${mod._get_name()} has not been fully initialized`);
      }
      handle.remove();
      Object.setPrototypeOf(mod, become.prototype);
    });
    // A state_dict load with shapes materializes too; become the real class then.
    m._register_load_state_dict_pre_hook(() => {
      queueMicrotask(() => {
        if (!m.has_uninitialized_params() && Object.getPrototypeOf(m) !== become.prototype) {
          handle.remove();
          Object.setPrototypeOf(m, become.prototype);
        }
      });
    });
  },
};

export function _isLazyInput(t: unknown): t is Tensor {
  return t instanceof Tensor;
}
