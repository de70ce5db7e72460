/**
 * @internal The one JS base class for native objects owned by JS (torch.Generator, packed quantized
 * weights, traced graphs): it holds the object's id in a native ObjectTable
 * (native/common/objects.h) and frees it exactly once, by whichever comes first of `dispose()`,
 * `using` (Symbol.dispose) or, as a last resort, garbage collection (a FinalizationRegistry).
 * Work in flight (an async job) keeps its own reference, so disposing while it runs is safe.
 * Using a disposed object is a TorchError naming it.
 */
import { TorchError } from './errors';

type Free = (id: number) => void;

// One registry for every kind: the held value carries the free function of the object's table.
const collected = new FinalizationRegistry<{ id: number; free: Free }>(({ id, free }) => free(id));

export abstract class NativeObject {
  #id: number;
  #free: Free | null;

  /**
   * @param id the object's id in its native table
   * @param free the table's free function (null: the object is not owned, e.g. a default generator)
   */
  protected constructor(id: number, free: Free | null) {
    this.#id = id;
    this.#free = free;
    if (free) collected.register(this, { id, free }, this);
  }

  /** @internal The native id; TorchError once disposed. */
  get _id(): number {
    if (this.#id < 0) throw new TorchError(`${this.constructor.name}: use after dispose`);
    return this.#id;
  }

  /** Whether dispose() was called. */
  get is_disposed(): boolean {
    return this.#id < 0;
  }

  /** Frees the native object now (idempotent). */
  dispose(): void {
    if (this.#id < 0) return;
    const id = this.#id;
    this.#id = -1;
    if (this.#free) {
      collected.unregister(this);
      this.#free(id);
    }
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
