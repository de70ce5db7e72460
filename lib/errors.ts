/**
 * Errors raised by torch-node. libtorch errors arrive as {@link TorchError} (PyTorch's
 * RuntimeError) or one of its subclasses, chosen by the c10 error type as PyTorch's
 * torch/csrc/Exceptions.h maps it, each carrying libtorch's message without the C++ backtrace:
 *
 * | c10 error                | torch-node                         | PyTorch                      |
 * | ------------------------ | ---------------------------------- | ---------------------------- |
 * | c10::Error               | TorchError                         | RuntimeError                 |
 * | c10::IndexError          | IndexError (also a RangeError)     | IndexError                   |
 * | c10::ValueError          | ValueError (also a RangeError)     | ValueError                   |
 * | c10::TypeError           | TorchTypeError (also a TypeError)  | TypeError                    |
 * | c10::NotImplementedError | NotImplementedError                | NotImplementedError          |
 * | c10::LinAlgError         | LinAlgError (torch.linalg.)        | torch.linalg.LinAlgError     |
 * | c10::OutOfMemoryError    | OutOfMemoryError (torch., cuda.)   | torch.cuda.OutOfMemoryError  |
 *
 * Every one of them is `instanceof TorchError`. Argument problems found before libtorch is called
 * are the built-in `TypeError` / `RangeError`, naming the argument.
 */

// Marks the classes that count as TorchError without inheriting from it (the subclasses of the
// built-in TypeError and RangeError, since a class has one parent).
const kTorchError = Symbol.for('torch-node.TorchError');
const ordinaryInstanceOf = Function.prototype[Symbol.hasInstance];

export class TorchError extends Error {}
// Defined outside the class body: TypeScript's declaration output for a static computed
// Symbol.hasInstance method declares it twice, which a user's tsc then rejects.
Object.defineProperty(TorchError, Symbol.hasInstance, {
  value: function hasInstance(this: unknown, x: unknown): boolean {
    if (ordinaryInstanceOf.call(this, x)) return true;
    return this === TorchError && typeof x === 'object' && x !== null && (x as { [kTorchError]?: boolean })[kTorchError] === true;
  },
  configurable: true,
});

function brand(cls: { prototype: object }, name: string): void {
  Object.defineProperty(cls.prototype, kTorchError, { value: true });
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}

Object.defineProperty(TorchError.prototype, 'name', { value: 'TorchError', writable: true, configurable: true });

/** An index out of range (c10::IndexError; PyTorch's IndexError). Also a RangeError and a TorchError. */
export class IndexError extends RangeError {}
brand(IndexError, 'IndexError');

/** A value out of its domain (c10::ValueError; PyTorch's ValueError). Also a RangeError and a TorchError. */
export class ValueError extends RangeError {}
brand(ValueError, 'ValueError');

/** A wrong type found by libtorch (c10::TypeError; PyTorch's TypeError). Also a TypeError and a TorchError. */
export class TorchTypeError extends TypeError {}
brand(TorchTypeError, 'TypeError');

/** An operation libtorch does not implement for these arguments (c10::NotImplementedError). */
export class NotImplementedError extends TorchError {}
brand(NotImplementedError, 'NotImplementedError');

/** A linear-algebra failure: a singular matrix, a non-converging decomposition (torch.linalg.LinAlgError). */
export class LinAlgError extends TorchError {}
brand(LinAlgError, 'LinAlgError');

/** An allocation that failed for lack of memory (torch.OutOfMemoryError, torch.cuda.OutOfMemoryError). */
export class OutOfMemoryError extends TorchError {}
brand(OutOfMemoryError, 'OutOfMemoryError');

/** The classes handed to the native error guard at load, by the names it asks for. */
export const nativeErrorClasses = {
  TorchError,
  TypeError,
  RangeError,
  IndexError,
  ValueError,
  TorchTypeError,
  NotImplementedError,
  LinAlgError,
  OutOfMemoryError,
};

// Messages already emitted: each libtorch warning reaches process.emitWarning once, as Python's
// default warnings filter shows a warning once per place it is raised.
const warned = new Set<string>();

/**
 * Hands a libtorch warning (TORCH_WARN, TORCH_WARN_ONCE, deprecations) to `process.emitWarning`
 * once per category and message. Called by the native error guard after each call, on the JS
 * thread; `category` is 'UserWarning' or 'DeprecationWarning'.
 */
export function warn(message: string, category: string = 'UserWarning'): void {
  const key = `${category}\u0000${message}`;
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(message, { type: category });
}

/** Forgets which warnings were emitted, so that each is emitted again once (for tests). */
export function _reset_warnings(): void {
  warned.clear();
}
