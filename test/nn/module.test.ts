/** nn.Module and the containers: registration order, state_dict keys, printouts, hooks, to(), load_state_dict. */
import * as torch from '../../lib';
import { seed, requiresGrad, backward, grad } from './helpers';

const { nn } = torch;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const fx = require('../fixtures/nn_core.json');

class Net extends nn.Module {
  [k: string]: any;
  constructor() {
    super();
    this.conv = new nn.Conv2d(3, 64, { kernel_size: 3, stride: 1, padding: 1 });
    this.pool = new nn.MaxPool2d({ kernel_size: 2, stride: 2 });
    this.batchnorm = new nn.BatchNorm2d(64);
    this.layers = new nn.ModuleDict({ fc1: new nn.Linear(784, 128), relu: new nn.ReLU() });
    this.blocks = new nn.ModuleList([new nn.Linear(2, 2), new nn.Dropout(0.25)]);
    this.weights = new nn.ParameterList([new nn.Parameter(torch.randn(3, 2)), new nn.Parameter(torch.randn(2))]);
    this.biases = new nn.ParameterDict({ bias1: new nn.Parameter(torch.zeros(4)) });
  }
  forward(x: torch.Tensor): torch.Tensor {
    return this.batchnorm(this.pool(this.conv(x)));
  }
}

describe('Module', () => {
  test('Sequential printout and state_dict keys as PyTorch', () => {
    const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10), new nn.Softmax({ dim: 1 }));
    expect(String(model)).toBe(fx.sequential_repr);
    expect(Object.keys(model.state_dict())).toEqual(fx.sequential_keys);
    expect(model.length).toBe(4);
    expect(model[0]).toBeInstanceOf(nn.Linear);
    expect(model.get(-1)).toBeInstanceOf(nn.Softmax);
    expect(model(torch.randn(2, 784)).shape).toEqual([2, 10]);
    expect(String(model.slice(0, 2))).toBe('Sequential(\n  (0): Linear(in_features=784, out_features=128, bias=True)\n  (1): ReLU()\n)');
  });
  test('custom module: registration order, printout, names', () => {
    seed(0);
    const net = new Net();
    expect(String(net)).toBe(fx.net_repr);
    expect(Object.keys(net.state_dict())).toEqual(fx.net_keys);
    expect(net.named_modules().map((e) => e[0])).toEqual(fx.net_named_modules);
    expect(net.named_parameters().map((e) => e[0])).toEqual(fx.net_param_names);
    expect(net.layers['fc1']).toBe(net.layers.get('fc1'));
    expect(net.weights[0]).toBeInstanceOf(nn.Parameter);
    expect(net.biases['bias1'].shape).toEqual([4]);
    expect(net.get_submodule('layers.fc1')).toBe(net.layers.fc1);
    expect(net.get_parameter('conv.weight')).toBe(net.conv.weight);
    expect(() => net.get_submodule('nope')).toThrow('Net has no attribute `nope`');
    expect(net(torch.randn(2, 3, 4, 4)).shape).toEqual([2, 64, 2, 2]);
  });
  test('reassigning and deleting fields', () => {
    const m = new nn.Module() as any;
    m.a = new nn.Linear(2, 2);
    m.b = new nn.Linear(2, 3);
    m.a = new nn.Linear(2, 4);
    expect(m.named_children().map((e: any) => e[0])).toEqual(['a', 'b']);
    expect(m.a.out_features).toBe(4);
    delete m.a;
    expect(m.named_children().map((e: any) => e[0])).toEqual(['b']);
    m.register_buffer('buf', torch.ones(2), false);
    expect(Object.keys(m.state_dict())).toEqual(['b.weight', 'b.bias']);
    expect(m.named_buffers().map((e: any) => e[0])).toEqual(['buf']);
    expect(() => m.register_buffer('b', torch.ones(1))).toThrow("attribute 'b' already exists");
    expect(() => m.register_parameter('x', torch.ones(1))).toThrow(/torch.nn.Parameter or None required/);
  });
  test('deleting a field unregisters it also when the module has ordinary fields', () => {
    const m = new nn.Module() as any;
    m.hidden_size = 4;
    m.name = 'net';
    m.fc1 = new nn.Linear(2, 2);
    m.fc2 = new nn.Linear(2, 2);
    m.w = new nn.Parameter(torch.ones(1));
    delete m.fc1;
    delete m.w;
    expect(m.named_children().map((e: any) => e[0])).toEqual(['fc2']);
    expect(Object.keys(m.state_dict())).toEqual(['fc2.weight', 'fc2.bias']);
    expect(m.hidden_size).toBe(4);
  });
  test('load_state_dict: plain object or Map, strict errors, missing/unexpected keys', () => {
    const a = new nn.Linear(3, 2);
    const b = new nn.Linear(3, 2);
    b.load_state_dict(a.state_dict());
    expect(b.weight.tolist()).toEqual(a.weight.tolist());
    const c = new nn.Linear(3, 2);
    c.load_state_dict(new Map(Object.entries(a.state_dict())));
    expect(c.bias!.tolist()).toEqual(a.bias!.tolist());
    const sd: any = { weight: a.weight, extra: torch.ones(1) };
    expect(() => c.load_state_dict(sd)).toThrow('Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". \n\tUnexpected key(s) in state_dict: "extra". ');
    expect(c.load_state_dict(sd, { strict: false })).toEqual({ missing_keys: ['bias'], unexpected_keys: ['extra'] });
    expect(() => c.load_state_dict({ weight: torch.ones(2, 2), bias: torch.ones(2) })).toThrow(
      'size mismatch for weight: copying a param with shape torch.Size([2, 2]) from checkpoint, the shape in current model is torch.Size([2, 3]).');
  });
  test('train/eval, to(dtype) keeps Parameter identity, zero_grad, requires_grad_', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => m.training === false)).toBe(true);
    net.train();
    expect(net.batchnorm.training).toBe(true);
    const w = net.conv.weight;
    net.double();
    expect(net.conv.weight).toBe(w);
    expect(w.dtype).toBe(torch.float64);
    expect(net.batchnorm.num_batches_tracked.dtype).toBe(torch.int64);
    net.to(torch.float32);
    expect(w.dtype).toBe(torch.float32);
    expect(() => net.to(torch.int32)).toThrow('nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int32');
    const lin = new nn.Linear(3, 1);
    backward(lin(torch.randn(2, 3)).sum());
    expect(grad(lin.weight)).not.toBeNull();
    lin.zero_grad({ set_to_none: false });
    expect((grad(lin.weight) as torch.Tensor).abs().sum().item()).toBe(0);
    lin.zero_grad();
    expect(grad(lin.weight)).toBeNull();
    lin.requires_grad_(false);
    expect(lin.parameters().length).toBe(2);
  });
  test('hooks: forward pre-hook, forward hook, removal; model(x) ≡ model.call(x)', () => {
    const lin = new nn.Linear(2, 2);
    const seen: string[] = [];
    const h1 = lin.register_forward_pre_hook((_m: any, args: any[]) => { seen.push('pre'); return [args[0].mul(2)]; });
    const h2 = lin.register_forward_hook((_m: any, _a: any, out: torch.Tensor) => { seen.push('post'); return out.add(1); });
    const x = torch.ones(1, 2);
    const y = lin(x);
    const ref = lin.forward(x.mul(2)).add(1);
    expect(y.tolist()).toEqual(ref.tolist());
    expect(seen).toEqual(['pre', 'post']);
    h1.remove();
    h2.remove();
    expect(lin.call(x).tolist()).toEqual(lin.forward(x).tolist());
    expect(lin._nhooks).toBe(0);
  });
  test('containers', () => {
    const ml = new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]);
    ml.append(new nn.Sigmoid());
    ml.insert(0, new nn.Identity());
    expect([...ml].map((m) => m._get_name())).toEqual(['Identity', 'ReLU', 'Tanh', 'Sigmoid']);
    ml.delete(1);
    expect(ml[1]).toBeInstanceOf(nn.Tanh);
    expect(ml.length).toBe(3);
    const md = new nn.ModuleDict({ b: new nn.ReLU(), a: new nn.Tanh() });
    expect(md.keys()).toEqual(['b', 'a']);
    // As in PyTorch (add_module refuses names of existing attributes).
    expect(() => md.set('keys', new nn.ReLU())).toThrow("attribute 'keys' already exists");
    expect(typeof md.keys).toBe('function');
    const seq = new nn.Sequential(new Map<string, any>([['conv1', new nn.Conv2d(1, 2, 3)], ['relu1', new nn.ReLU()]]));
    expect(Object.keys(seq.state_dict())).toEqual(['conv1.weight', 'conv1.bias']);
    const pl = new nn.ParameterList([torch.ones(2)]);
    expect(pl[0]).toBeInstanceOf(nn.Parameter);
    expect(String(pl)).toBe('ParameterList(  (0): Parameter containing: [torch.float32 of size 2])');
  });
  test('lazy modules infer their shapes and become the regular class', () => {
    const m = new nn.LazyLinear(5);
    expect(m.has_uninitialized_params()).toBe(true);
    expect(() => m.weight.shape).toThrow(/uninitialized parameter/);
    const y = m(torch.randn(3, 7));
    expect(y.shape).toEqual([3, 5]);
    expect(m.weight.shape).toEqual([5, 7]);
    expect(m).toBeInstanceOf(nn.Linear);
    expect(m.has_uninitialized_params()).toBe(false);
    expect(String(m)).toBe('Linear(in_features=7, out_features=5, bias=True)');
    const c = new nn.LazyConv2d(4, 3);
    expect(c(torch.randn(1, 2, 5, 5)).shape).toEqual([1, 4, 3, 3]);
    expect(c.weight.shape).toEqual([4, 2, 3, 3]);
    const bn = new nn.LazyBatchNorm1d();
    expect(bn(torch.randn(4, 6)).shape).toEqual([4, 6]);
    expect(bn.running_mean!.shape).toEqual([6]);
  });
});
