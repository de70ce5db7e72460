// Autograd entry points (native/autograd/*.cc): tensor autograd attributes, backward/grad, hooks,
// grad_fn nodes and the thread-local grad modes.
//
// [sync] _requires_grad(h) -> bool
// [sync] _set_requires_grad(h, b, setter: bool): setter=true is `t.requires_grad = b` (leaf only),
//        false is `t.requires_grad_(b)`. TorchError for integer dtypes / non-leaf as PyTorch.
// [sync] _grad(h) -> handle | null | false (false: the non-leaf .grad warning applies);  _set_grad(h, g | null): TorchError on dtype/device/size mismatch.
// [sync] _is_leaf(h), _retains_grad(h), _retain_grad(h), _is_inference(h)
// [sync] _detach(h) -> handle;  _detach_(h)
// [sync] _grad_fn(h) -> Node external | null;  _node_name(n), _node_next(n) -> [[node|null, nr]],
//        _node_variable(n) -> handle | null (AccumulateGrad only)
// [sync] _backward(tensors[], grads[] (null entries allowed), retain_graph|null, create_graph, inputs[])
// [sync] _autograd_grad(outputs[], inputs[], grad_outputs[], retain_graph|null, create_graph,
//        allow_unused) -> (handle|null)[]
//        Both run the engine; TorchError with libtorch's message (e.g. backward twice); an exception
//        thrown by a JS hook propagates unchanged.
// [sync] _register_hook(h, fn(handle) -> handle|null) -> hook id;  _remove_hook(h, id)
// [sync] _autograd_force_worker(b): run backward on a helper thread (the path CUDA graphs take
//        when JS hooks exist); for tests.
// [sync] _function_apply(name, inputs[], outputs[], backward(grads[]) -> (handle|null)[], dirty[],
//        non_differentiable[], materialize) -> handles: the graph node of a custom autograd
//        Function; TorchError for a dirty leaf that requires grad. backward runs on the JS thread.
// [sync] _set_anomaly_enabled(mode, check_nan=true) -> previous;  _is_anomaly_enabled(), _is_anomaly_check_nan_enabled()
// [sync] _set_grad_enabled(b) -> previous;  _is_grad_enabled()
// [sync] _inference_mode_enter(mode) -> depth;  _inference_mode_exit(depth): RangeError unless LIFO.
// [sync] _is_inference_mode_enabled()
#pragma once
#include "../common/core.h"
