/**
 * Python calls a class to construct it (`torch.device('cpu')`, `torch.finfo(torch.float32)`).
 * `pyClass(C)` returns C itself behind a Proxy whose call trap constructs: `C(x)` ≡ `new C(x)`.
 * Construction, subclassing (`class D extends C`), `instanceof`, statics and the prototype are the
 * class's own, since every other operation passes through to it. `name`, when given, becomes the
 * class's `name` (what error messages and `constructor.name` show: 'device', not the TS class name).
 */
export type PyClass<C extends abstract new (...args: any) => any> =
  C & ((...args: ConstructorParameters<C>) => InstanceType<C>);

export function pyClass<C extends new (...args: any) => any>(cls: C, name?: string): PyClass<C> {
  if (name !== undefined) Object.defineProperty(cls, 'name', { value: name, configurable: true });
  return new Proxy(cls, {
    apply: (target, _thisArg, args) => Reflect.construct(target, args),
  }) as PyClass<C>;
}
