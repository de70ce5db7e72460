/**
 * torch.utils.hooks.RemovableHandle: what every register_*_hook returns (Module hooks, state-dict
 * hooks, Tensor.register_hook); `remove()` unregisters the hook, once.
 */
export class RemovableHandle {
  private static nextId = 0;
  /** The hook's id, unique per process (its key in the module's hook dict). */
  readonly id: number;
  private release: ((id: number) => void) | null;
  /**
   * @internal `release(id)` unregisters the hook; it runs at the first remove(). `id` defaults to
   * a new process-unique id.
   */
  constructor(release: (id: number) => void, id: number = RemovableHandle.nextId++) {
    this.id = id;
    this.release = release;
  }
  /** Unregisters the hook (idempotent). */
  remove(): void {
    const r = this.release;
    this.release = null;
    if (r !== null) r(this.id);
  }
  [Symbol.dispose](): void {
    this.remove();
  }
}
