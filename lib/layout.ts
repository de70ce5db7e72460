/**
 * torch.layout: how a tensor's elements are stored — `torch.strided` (dense) or a sparse format
 * (`torch.sparse_coo`, `torch.sparse_csr`, …). Each carries its c10::Layout code, which is how
 * layouts cross to native code.
 */
export class layout {
  /** @internal */
  constructor(readonly name: string, readonly _code: number) {}
  toString(): string {
    return `torch.${this.name}`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

// c10::Layout's order (the same in libtorch 1.13 and 2.x for these seven).
export const strided = new layout('strided', 0);
export const sparse_coo = new layout('sparse_coo', 1);
export const sparse_csr = new layout('sparse_csr', 2);
export const _mkldnn = new layout('_mkldnn', 3);
export const sparse_csc = new layout('sparse_csc', 4);
export const sparse_bsr = new layout('sparse_bsr', 5);
export const sparse_bsc = new layout('sparse_bsc', 6);

const BY_CODE = [strided, sparse_coo, sparse_csr, _mkldnn, sparse_csc, sparse_bsr, sparse_bsc];

/** @internal The layout object for a c10::Layout code. */
export function layoutFromCode(code: number): layout {
  const l = BY_CODE[code];
  if (l === undefined) throw new RangeError(`unknown layout code ${code}`);
  return l;
}
