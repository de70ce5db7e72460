// Wrong usage: every line after a @ts-expect-error must be a type error (tsc fails on an unused one).
import * as torch from 'torch-node';

const x = torch.ones(2, 2);

// @ts-expect-error a string where a Tensor is expected
torch.matmul('x', x);
// @ts-expect-error a number where a Tensor is expected (matmul has no Scalar overload)
x.matmul(3);
// @ts-expect-error an unknown option
torch.zeros([2], { dtyp: torch.float32 });
// @ts-expect-error an unknown option on a method
x.sum(0, { keep_dim: true });
// @ts-expect-error a dtype given as a string
torch.zeros([2], { dtype: 'float32' });
// @ts-expect-error requires_grad must be a boolean
torch.tensor([1, 2], { requires_grad: 'yes' });
// @ts-expect-error item() is not a number[]
const v: number[] = x.item();
// @ts-expect-error no such op
torch.not_an_op(x);

export { v };
