/**
 * Random number generation: torch.manual_seed, torch.seed, torch.initial_seed,
 * torch.get_rng_state / set_rng_state, and torch.Generator objects.
 *
 * These drive libtorch's own generators (the same Philox/mt19937 CPU generator Python PyTorch
 * uses), so `torch.manual_seed(0); torch.randn(3, 4)` gives the numbers Python gives on CPU.
 * A Generator is passed to the random functions as `generator`:
 * `torch.randn([2, 3], {generator: g})`.
 *
 * Seeds: numbers or bigints in [-2**63, 2**64); negative seeds wrap modulo 2**64 as in PyTorch.
 * Seeds read back (`initial_seed()`, `seed()`) are numbers, or bigints when above 2**53.
 */
import { native } from './binding';
import { Tensor } from './tensor';
import { device, DeviceLike, deviceString } from './device';
import { uint8 } from './dtype';
import { pyClass } from './_callable';
import { NativeObject } from './_native_object';

const U64 = 1n << 64n;
function toSeed(v: unknown, fname: string, truncate: boolean): bigint {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isFinite(v) && (truncate || Number.isInteger(v))) b = BigInt(Math.trunc(v));
  else if (typeof v === 'boolean') b = v ? 1n : 0n;
  else throw new TypeError(`${fname}(): argument 'seed' must be an integer, not ${typeof v === 'number' ? v : typeof v}`);
  if (b < -(1n << 63n) || b >= U64) throw new RangeError('Overflow when unpacking long');
  return BigInt.asUintN(64, b);
}

const freeGenerator = (id: number): void => native._generator_free(id);

/**
 * torch.Generator(device = 'cpu'): an independent random number generator.
 *
 * Args:
 *   device: the device of the generator (torch-node supports only 'cpu').
 *
 * Example:
 *   const g = torch.Generator().manual_seed(42);   // or new torch.Generator()
 *   const x = torch.randn([2, 3], {generator: g});
 */
class GeneratorImpl extends NativeObject {
  // The native id (NativeObject._id) is 0 for the default CPU generator, which is never freed.
  constructor(dev: DeviceLike | { device?: DeviceLike } = 'cpu') {
    if (dev !== null && typeof dev === 'object' && !(dev instanceof device)) dev = dev.device ?? 'cpu';
    const isDefault = (dev as unknown) === -1; // the default generator (internal)
    super(isDefault ? 0 : native._generator_new(deviceString(dev as DeviceLike)), isDefault ? null : freeGenerator);
  }
  /** The device the generator produces numbers for. */
  get device(): device {
    return new device(native._generator_device(this._id));
  }
  /** Sets the seed; returns this generator. */
  manual_seed(seed: number | bigint): this {
    native._generator_manual_seed(this._id, toSeed(seed, 'manual_seed', false), false);
    return this;
  }
  /** Seeds the generator from a non-deterministic source; returns the seed. */
  seed(): number | bigint {
    return native._generator_seed(this._id, false);
  }
  /** The seed the generator was last seeded with. */
  initial_seed(): number | bigint {
    return native._generator_initial_seed(this._id);
  }
  /** The generator's state, as a uint8 tensor (a copy). */
  get_state(): Tensor {
    return new Tensor(native._generator_get_state(this._id));
  }
  /** Restores a state returned by get_state(); returns this generator. */
  set_state(new_state: Tensor): this {
    if (!(new_state instanceof Tensor)) throw new TypeError(`set_state(): argument 'new_state' must be a Tensor`);
    if (new_state.dtype !== uint8) throw new TypeError(`expected a torch.ByteTensor, but got ${new_state.dtype}`);
    native._generator_set_state(this._id, new_state._h);
    return this;
  }
  toString(): string {
    return '<torch._C.Generator object>';
  }
}

/** torch.Generator, callable without `new` as Python calls it (`torch.Generator().manual_seed(0)`). */
export const Generator = pyClass(GeneratorImpl, 'Generator');
export type Generator = GeneratorImpl;

/** torch.default_generator: the default CPU generator. */
export const default_generator: Generator = new Generator(-1 as unknown as DeviceLike);

/**
 * torch.manual_seed(seed): seeds the default CPU generator and every CUDA device's default
 * generator. Returns torch.default_generator.
 */
export function manual_seed(seed: number | bigint): Generator {
  native._generator_manual_seed(0, toSeed(seed, 'manual_seed', true), true);
  return default_generator;
}

/** torch.seed(): seeds the default generators non-deterministically; returns the seed. */
export function seed(): number | bigint {
  return native._generator_seed(0, true);
}

/** torch.initial_seed(): the initial seed of the default CPU generator. */
export function initial_seed(): number | bigint {
  return native._generator_initial_seed(0);
}

/** torch.get_rng_state(): the default CPU generator's state as a uint8 tensor. */
export function get_rng_state(): Tensor {
  return default_generator.get_state();
}

/** torch.set_rng_state(new_state): restores the default CPU generator's state. */
export function set_rng_state(new_state: Tensor): void {
  default_generator.set_state(new_state);
}
