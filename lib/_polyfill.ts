// Symbol.dispose for `using`: Node 20 defines it in its main realm only; vm contexts (jest, REPL
// sandboxes) may lack it. Use the registry symbol Node itself falls back to.
const S = Symbol as unknown as { dispose?: symbol; asyncDispose?: symbol };
if (typeof S.dispose !== 'symbol') Object.defineProperty(Symbol, 'dispose', { value: Symbol.for('nodejs.dispose') });
if (typeof S.asyncDispose !== 'symbol') Object.defineProperty(Symbol, 'asyncDispose', { value: Symbol.for('nodejs.asyncDispose') });
export {};
