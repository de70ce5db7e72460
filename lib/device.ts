import { pyClass } from './_callable';

/**
 * torch.device: `torch.device('cuda:1')`, `torch.device('cuda', 1)`, `torch.device('cpu')`, called
 * as in Python or with `new`. Anywhere a device is accepted, a string such as 'cpu', 'cuda' or
 * 'cuda:0' works too.
 */
class Device {
  readonly type: string;
  readonly index: number | null;
  constructor(type: string | Device, index?: number | null) {
    if (type instanceof Device) {
      this.type = type.type;
      this.index = type.index;
      return;
    }
    if (typeof type !== 'string') throw new TypeError('torch.device(): expected a string like "cpu" or "cuda:0"');
    const m = /^([a-z_]+)(?::(\d+))?$/.exec(type);
    if (!m) throw new RangeError(`Invalid device string: '${type}'`);
    if (m[2] !== undefined && index !== undefined && index !== null) {
      throw new RangeError(`type (string) must not include an index because index was passed explicitly: ${type}`);
    }
    this.type = m[1];
    this.index = m[2] !== undefined ? Number(m[2]) : index ?? null;
    if (this.index !== null && (!Number.isInteger(this.index) || this.index < 0)) {
      throw new RangeError(`Device index must not be negative, got ${this.index}`);
    }
  }
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.index === null ? `device(type='${this.type}')` : `device(type='${this.type}', index=${this.index})`;
  }
}

/** torch.device, callable without `new` as Python calls it (`torch.device('cpu')`). */
export const device = pyClass(Device, 'device');
export type device = Device;

export type DeviceLike = string | device;

/** @internal The string form native code takes. */
export function deviceString(d: DeviceLike): string {
  if (d instanceof Device) return d.toString();
  if (typeof d === 'string') return d;
  throw new TypeError(`expected a device ('cpu', 'cuda', 'cuda:N' or torch.device), got ${typeof d}`);
}
