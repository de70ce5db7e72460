// Native objects owned by JS (lib/_native_object.ts over native/common/objects.h): one lifetime
// for torch.Generator, packed quantized weights and traced graphs: dispose(), Symbol.dispose,
// GC as a last resort; use after dispose is a TorchError; an id of another kind a TypeError.
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as torch from '../lib';
import { native } from '../lib/binding';
import { NativeObject } from '../lib/_native_object';

describe('NativeObject', () => {
  test('torch.Generator is a NativeObject: dispose() frees it, use after dispose is a TorchError', () => {
    const g = torch.Generator().manual_seed(3);
    expect(g).toBeInstanceOf(NativeObject);
    const x = torch.randn([4], { generator: g }).tolist();
    expect(torch.randn([4], { generator: torch.Generator().manual_seed(3) }).tolist()).toEqual(x);
    expect(g.is_disposed).toBe(false);
    g.dispose();
    expect(g.is_disposed).toBe(true);
    expect(() => g.manual_seed(1)).toThrow(torch.TorchError);
    expect(() => g.manual_seed(1)).toThrow(/use after dispose/);
    expect(() => torch.randn([2], { generator: g })).toThrow(torch.TorchError);
    g.dispose(); // idempotent
  });

  test('Symbol.dispose (the `using` protocol) frees the object', () => {
    const g = torch.Generator();
    g[Symbol.dispose]();
    expect(g.is_disposed).toBe(true);
    expect(() => g.initial_seed()).toThrow(/use after dispose/);
  });

  test('the default generator is never freed', () => {
    torch.default_generator.dispose();
    torch.manual_seed(0);
    const a = torch.rand([2]).tolist();
    torch.manual_seed(0);
    expect(torch.rand([2]).tolist()).toEqual(a);
  });

  test('a freed id of the right kind is a TorchError; an id of another kind is a TypeError naming the argument', () => {
    const g = torch.Generator();
    const gid = g._id;
    g.dispose();
    expect(() => native._generator_initial_seed(gid)).toThrow(torch.TorchError);
    expect(() => native._generator_initial_seed(gid)).toThrow(/torch\.Generator #\d+ was disposed .*use after dispose/);
    const traced = torch.trace_async((x: torch.Tensor) => x.add(1));
    return traced(torch.ones(2)).then(() => {
      const h = torch.Generator();
      // A generator id where a traced graph is expected, and the reverse.
      expect(() => native._graph_str(h._id)).toThrow(TypeError);
      expect(() => native._graph_str(h._id)).toThrow(/argument 'graph' \(position 1\) must be a traced graph/);
      const gs = traced.graphs();
      expect(gs.length).toBe(1);
      h.dispose();
    });
  });

  test('packed quantized weights: dispose() empties the native table', () => {
    const before = native._qp_live();
    const q = torch.quantization.quantize_dynamic(new torch.nn.Sequential(new torch.nn.Linear(4, 3), new torch.nn.Linear(3, 2)));
    expect(native._qp_live()).toBe(before + 2);
    const y = q.forward(torch.ones(1, 4));
    expect(y.shape).toEqual([1, 2]);
    for (const m of q.modules()) (m as any)._packed?.dispose();
    expect(native._qp_live()).toBe(before);
    expect(() => q.forward(torch.ones(1, 4))).toThrow(/use after dispose/);
  });

  test('objects dropped without dispose() are freed by GC (FinalizationRegistry)', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'scripts', 'native_object_gc.js')], { encoding: 'utf8', timeout: 60000 });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.made).toBe(out.before + 200);
    expect(out.after).toBe(out.before);
  });
});
