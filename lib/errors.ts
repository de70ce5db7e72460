/**
 * Errors raised by torch-node. libtorch errors (shape or dtype mismatch, index out of range, …)
 * arrive as {@link TorchError} carrying libtorch's message without the C++ backtrace; argument
 * problems found before libtorch is called are the built-in `TypeError` / `RangeError`.
 */
export class TorchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TorchError';
  }
}
