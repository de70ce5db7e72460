/**
 * torch.autograd.graph.Node: the grad_fn of a tensor (a node of the backward graph).
 */
import { native } from '../binding';
import { Tensor } from '../tensor';

export class Node {
  /** @internal the native external owning a shared_ptr to the libtorch Node */
  readonly _p: object;
  /** @internal */
  constructor(p: object) {
    this._p = p;
  }
  /** The node's name as PyTorch gives it, e.g. 'AddBackward0', 'torch::autograd::AccumulateGrad'. */
  name(): string {
    return native._node_name(this._p);
  }
  /**
   * The edges to the next nodes of the backward graph: `[node, input_nr]` pairs, `node` being null
   * for inputs that do not require grad.
   */
  get next_functions(): [Node | null, number][] {
    const edges: [object | null, number][] = native._node_next(this._p);
    return edges.map(([p, nr]) => [p === null ? null : new Node(p), nr]);
  }
  /** For an AccumulateGrad node: the leaf tensor it accumulates into; otherwise undefined. */
  get variable(): Tensor | undefined {
    const h = native._node_variable(this._p);
    return h === null ? undefined : new Tensor(h);
  }
  /** Whether `other` wraps the same graph node (each `grad_fn` access makes a new JS object). */
  equals(other: Node | null | undefined): boolean {
    return other instanceof Node && native._node_same(this._p, other._p);
  }
  /** @internal The class name Python prints in `grad_fn=<...>`. */
  _type_name(): string {
    const n = this.name();
    const k = n.lastIndexOf('::');
    return k < 0 ? n : n.slice(k + 2);
  }
  toString(): string {
    return `<${this._type_name()} object>`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
