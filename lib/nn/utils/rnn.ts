/**
 * torch.nn.utils.rnn: PackedSequence and the functions that pack and pad variable-length
 * sequences. The packing itself is ATen's _pack_padded_sequence / _pad_packed_sequence
 * (native/nn/rnn.cc), differentiable as in PyTorch.
 */
import * as torch from '../../generated/ops';
import { native } from '../../binding';
import { Tensor } from '../../tensor';
import { TorchError } from '../../errors';
import { tensor as makeTensor } from '../../creation';
import { int64 } from '../../dtype';
import * as dtypes from '../../dtype';
import { parse_args, tensor, bool, float, opt_int } from './_args';

/**
 * A packed batch of variable-length sequences, as RNN, LSTM and GRU accept and return. Like
 * PyTorch's namedtuple it destructures: `const [data, batch_sizes] = packed`.
 *
 * Attributes:
 *   data: the packed elements, (sum of lengths, *).
 *   batch_sizes: int64 CPU tensor, the batch size at each time step.
 *   sorted_indices: the permutation that sorted the batch by decreasing length, or null.
 *   unsorted_indices: its inverse, or null.
 *
 * Instances are made by pack_padded_sequence / pack_sequence, not by hand.
 */
export class PackedSequence {
  readonly data: Tensor;
  readonly batch_sizes: Tensor;
  readonly sorted_indices: Tensor | null;
  readonly unsorted_indices: Tensor | null;

  constructor(data: Tensor | [Tensor, Tensor], batch_sizes: Tensor | null = null, sorted_indices: Tensor | null = null, unsorted_indices: Tensor | null = null) {
    if (unsorted_indices === null) unsorted_indices = invert_permutation(sorted_indices);
    if (batch_sizes !== null) {
      if (batch_sizes.device.type !== 'cpu') {
        throw new TorchError(
          'batch_sizes should always be on CPU. Instances of PackedSequence should never be created manually. ' +
            'They should be instantiated by functions like pack_sequence and pack_padded_sequences in nn.utils.rnn. ' +
            'https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence',
        );
      }
      this.data = data as Tensor;
      this.batch_sizes = batch_sizes;
    } else {
      if (!Array.isArray(data) || data.length !== 2) throw new TypeError('PackedSequence(data): data must be a [data, batch_sizes] pair when batch_sizes is not given');
      this.data = data[0];
      this.batch_sizes = data[1];
    }
    this.sorted_indices = sorted_indices;
    this.unsorted_indices = unsorted_indices;
  }

  *[Symbol.iterator](): IterableIterator<Tensor | null> {
    yield this.data;
    yield this.batch_sizes;
    yield this.sorted_indices;
    yield this.unsorted_indices;
  }
  get length(): number {
    return 4;
  }
  /** Python's `len(x)` (also `x.length`). */
  __len__(): number {
    return this.length;
  }

  /** A PackedSequence whose data went through `data.to(...args)` (indices follow data's device). */
  to(...args: any[]): PackedSequence {
    const data = (this.data.to as any)(...args) as Tensor;
    if (data === this.data) return this;
    const dev = data.device;
    const move = (t: Tensor | null) => (t === null || String(t.device) === String(dev) ? t : t.to(dev));
    const si = move(this.sorted_indices);
    const ui = move(this.unsorted_indices);
    return new PackedSequence(data, this.batch_sizes, si, ui);
  }
  cuda(...args: any[]): PackedSequence {
    const d = (this.data.cuda as any)(...args) as Tensor;
    return this.to(d.device);
  }
  cpu(): PackedSequence { return this.to('cpu'); }
  double(): PackedSequence { return this.to(torch_dtype('float64')); }
  float(): PackedSequence { return this.to(torch_dtype('float32')); }
  half(): PackedSequence { return this.to(torch_dtype('float16')); }
  long(): PackedSequence { return this.to(torch_dtype('int64')); }
  int(): PackedSequence { return this.to(torch_dtype('int32')); }
  short(): PackedSequence { return this.to(torch_dtype('int16')); }
  char(): PackedSequence { return this.to(torch_dtype('int8')); }
  byte(): PackedSequence { return this.to(torch_dtype('uint8')); }
  get is_cuda(): boolean {
    return this.data.is_cuda;
  }
  is_pinned(): boolean {
    return false;
  }
  toString(): string {
    return `PackedSequence(data=${String(this.data)}, batch_sizes=${String(this.batch_sizes)}, sorted_indices=${String(this.sorted_indices)}, unsorted_indices=${String(this.unsorted_indices)})`;
  }
}

function torch_dtype(name: string): dtypes.dtype {
  return (dtypes as any)[name];
}

/** The inverse of a permutation (null stays null). */
export function invert_permutation(permutation: Tensor | null): Tensor | null {
  if (permutation === null) return null;
  const output = torch.empty_like(permutation);
  output.scatter_(0, permutation, torch.arange(0, permutation.numel(), { device: permutation.device }));
  return output;
}

function lengthsTensor(fname: string, lengths: unknown): Tensor {
  if (lengths instanceof Tensor) return lengths.dtype === int64 ? lengths : lengths.to(int64);
  if (Array.isArray(lengths) && lengths.every((x) => typeof x === 'number' || typeof x === 'bigint')) {
    return makeTensor(lengths.map((x) => BigInt(x)), { dtype: int64 });
  }
  throw new TypeError(`${fname}(): argument 'lengths' must be Tensor or an array of ints`);
}

/**
 * nn.utils.rnn.pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
 * packs a padded batch of variable-length sequences.
 *
 * Args:
 *   input: (T, B, *) padded batch ((B, T, *) when batch_first).
 *   lengths: the length of each sequence (a CPU int64 tensor or an array of ints).
 *   enforce_sorted: if true, sequences must be sorted by decreasing length; otherwise they are
 *     sorted here and the permutation is kept in the result.
 */
export function pack_padded_sequence(input: Tensor, lengths: Tensor | number[], options?: { batch_first?: boolean; enforce_sorted?: boolean }): PackedSequence;
export function pack_padded_sequence(input: Tensor, lengths: Tensor | number[], batch_first?: boolean, enforce_sorted?: boolean): PackedSequence;
export function pack_padded_sequence(...args: any[]): PackedSequence {
  const f = 'pack_padded_sequence';
  const a = parse_args(f, ['input', 'lengths', ['batch_first', false], ['enforce_sorted', true]], args);
  let input = tensor(f, 'input', a.input);
  let lengths = lengthsTensor(f, a.lengths);
  const batch_first = bool(f, 'batch_first', a.batch_first);
  let sorted_indices: Tensor | null = null;
  if (!bool(f, 'enforce_sorted', a.enforce_sorted)) {
    [lengths, sorted_indices] = torch.sort(lengths, { descending: true });
    sorted_indices = sorted_indices.to(input.device);
    input = input.index_select(batch_first ? 0 : 1, sorted_indices);
  }
  const [d, bs] = native._nn_pack_padded_sequence(input._h, lengths._h, batch_first);
  const data = new Tensor(d);
  const batch_sizes = new Tensor(bs);
  return new PackedSequence(data, batch_sizes, sorted_indices, null);
}

/**
 * nn.utils.rnn.pad_packed_sequence(sequence, batch_first=False, padding_value=0.0,
 * total_length=None): the inverse of pack_padded_sequence.
 *
 * Returns [padded (T, B, *) or (B, T, *), lengths (B) int64].
 */
export function pad_packed_sequence(sequence: PackedSequence, options?: { batch_first?: boolean; padding_value?: number; total_length?: number | null }): [Tensor, Tensor];
export function pad_packed_sequence(sequence: PackedSequence, batch_first?: boolean, padding_value?: number, total_length?: number | null): [Tensor, Tensor];
export function pad_packed_sequence(...args: any[]): [Tensor, Tensor] {
  const f = 'pad_packed_sequence';
  const a = parse_args(f, ['sequence', ['batch_first', false], ['padding_value', 0.0], ['total_length', null]], args);
  const seq = a.sequence;
  if (!(seq instanceof PackedSequence)) throw new TypeError(`${f}(): argument 'sequence' must be PackedSequence`);
  const batch_first = bool(f, 'batch_first', a.batch_first);
  let max_seq_length = seq.batch_sizes.size(0);
  const total_length = opt_int(f, 'total_length', a.total_length);
  if (total_length !== null) {
    if (total_length < max_seq_length) {
      throw new RangeError(
        'Expected total_length to be at least the length of the longest sequence in input, ' +
          `but got total_length=${total_length} and max sequence length being ${max_seq_length}`,
      );
    }
    max_seq_length = total_length;
  }
  const [p, l] = native._nn_pad_packed_sequence(seq.data._h, seq.batch_sizes._h, batch_first, float(f, 'padding_value', a.padding_value), max_seq_length);
  const padded = new Tensor(p);
  const lengths = new Tensor(l);
  const ui = seq.unsorted_indices;
  if (ui !== null) {
    const r: [Tensor, Tensor] = [padded.index_select(batch_first ? 0 : 1, ui), lengths.index_select(0, ui.cpu())];
    padded.dispose();
    lengths.dispose();
    return r;
  }
  return [padded, lengths];
}

/**
 * nn.utils.rnn.pad_sequence(sequences, batch_first=False, padding_value=0.0): stacks tensors of
 * shape (L_i, *) into (T, B, *) ((B, T, *) when batch_first), padding with padding_value.
 */
export function pad_sequence(sequences: Tensor[], options?: { batch_first?: boolean; padding_value?: number }): Tensor;
export function pad_sequence(sequences: Tensor[], batch_first?: boolean, padding_value?: number): Tensor;
export function pad_sequence(...args: any[]): Tensor {
  const f = 'pad_sequence';
  const a = parse_args(f, ['sequences', ['batch_first', false], ['padding_value', 0.0]], args);
  const seqs = a.sequences instanceof Tensor ? a.sequences.unbind(0) : a.sequences;
  if (!Array.isArray(seqs) || !seqs.every((s) => s instanceof Tensor)) throw new TypeError(`${f}(): argument 'sequences' must be an array of Tensors`);
  return torch._nn.pad_sequence(seqs, bool(f, 'batch_first', a.batch_first), float(f, 'padding_value', a.padding_value));
}

/**
 * nn.utils.rnn.unpad_sequence(padded_sequences, lengths, batch_first=False): the list of
 * unpadded sequences. (PyTorch transposes a sequence-first input in place; this does not.)
 */
export function unpad_sequence(padded_sequences: Tensor, lengths: Tensor | number[], options?: { batch_first?: boolean }): Tensor[];
export function unpad_sequence(padded_sequences: Tensor, lengths: Tensor | number[], batch_first?: boolean): Tensor[];
export function unpad_sequence(...args: any[]): Tensor[] {
  const f = 'unpad_sequence';
  const a = parse_args(f, ['padded_sequences', 'lengths', ['batch_first', false]], args);
  let padded = tensor(f, 'padded_sequences', a.padded_sequences);
  const lengths = a.lengths instanceof Tensor ? (a.lengths.tolist() as number[]) : (a.lengths as number[]);
  if (!bool(f, 'batch_first', a.batch_first)) padded = padded.transpose(0, 1);
  const out: Tensor[] = [];
  const n = Math.min(padded.size(0), lengths.length);
  for (let i = 0; i < n; i++) out.push(padded.select(0, i).narrow(0, 0, Number(lengths[i])));
  return out;
}

/**
 * nn.utils.rnn.pack_sequence(sequences, enforce_sorted=True): packs tensors of shape (L_i, *);
 * with enforce_sorted they must be sorted by decreasing length.
 */
export function pack_sequence(sequences: Tensor[], options?: { enforce_sorted?: boolean }): PackedSequence;
export function pack_sequence(sequences: Tensor[], enforce_sorted?: boolean): PackedSequence;
export function pack_sequence(...args: any[]): PackedSequence {
  const f = 'pack_sequence';
  const a = parse_args(f, ['sequences', ['enforce_sorted', true]], args);
  const seqs = a.sequences;
  if (!Array.isArray(seqs) || !seqs.every((s) => s instanceof Tensor)) throw new TypeError(`${f}(): argument 'sequences' must be an array of Tensors`);
  const lengths = makeTensor(seqs.map((v: Tensor) => BigInt(v.size(0))), { dtype: int64 });
  const padded = pad_sequence(seqs);
  const r = pack_padded_sequence(padded, lengths, { enforce_sorted: bool(f, 'enforce_sorted', a.enforce_sorted) });
  padded.dispose();
  return r;
}

/** nn.utils.rnn.unpack_sequence(packed_sequences): the list of sequences packed in it. */
export function unpack_sequence(packed_sequences: PackedSequence): Tensor[] {
  const [padded, lengths] = pad_packed_sequence(packed_sequences, { batch_first: true });
  return unpad_sequence(padded, lengths, { batch_first: true });
}
