/**
 * nn.DataParallel: without a GPU it runs the module as is (as PyTorch); state_dict keys carry the
 * `module.` prefix. The multi-device path (scatter, replicate, apply, gather) is exercised with
 * CPU "devices": outputs and gradients must equal the plain module's.
 */
import * as torch from '../../lib';

const { nn } = torch;

describe('DataParallel', () => {
  test('no GPU: the module runs as is; module. prefix', () => {
    torch.manual_seed(0);
    const m = new nn.Linear(4, 3);
    const dp = new nn.DataParallel(m);
    const x = torch.randn([5, 4]);
    if (!torch.cuda.is_available()) expect(dp.device_ids).toEqual([]);
    expect(dp(x).tolist()).toEqual(m(x).tolist());
    expect(Object.keys(dp.state_dict())).toEqual(['module.weight', 'module.bias']);
    expect(() => new nn.DataParallel({} as any)).toThrow(TypeError);
  });

  test('scatter / replicate / gather: outputs and gradients equal the plain module', () => {
    torch.manual_seed(0);
    class Net extends nn.Module {
      fc1 = new nn.Linear(4, 6);
      fc2 = new nn.Linear(6, 2);
      forward(x: torch.Tensor): torch.Tensor {
        return this.fc2(this.fc1(x).tanh());
      }
    }
    const m = new Net();
    const x = torch.randn([7, 4]);
    const ref = m(x);
    ref.pow(2).sum().backward();
    const refGrads = m.parameters().map((p: torch.Tensor) => p.grad!.clone());
    m.zero_grad();
    const out = nn.parallel.data_parallel(m, [x], ['cpu', 'cpu', 'cpu'], 'cpu', 0);
    expect(out.shape).toEqual([7, 2]);
    const a = out.reshape(-1).tolist() as number[], b = ref.reshape(-1).tolist() as number[];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
    out.pow(2).sum().backward();
    m.parameters().forEach((p: torch.Tensor, i: number) => {
      const g = p.grad!.reshape(-1).tolist() as number[], r = refGrads[i].reshape(-1).tolist() as number[];
      g.forEach((v, k) => expect(v).toBeCloseTo(r[k], 5));
    });
    const parts = nn.parallel.scatter([x], ['cpu', 'cpu']);
    expect(parts.map((p: torch.Tensor[]) => p[0].shape[0])).toEqual([4, 3]);
  });
});
