// Helpers for lib/nn (Module, Parameter): parameter creation, in-place data replacement
// (Module.to / .float() keep the Parameter objects, as PyTorch's `param.data = ...` does) and
// TensorImpl identity. Grad mode, requires_grad and .grad are native/autograd's entry points.
// Invariants: handles are read with tn::get and never kept across calls.
#include "../common/core.h"

namespace tn {

// [sync] _nn_make_param(h, requires_grad) -> handle of a detached alias of h (same storage) with
// requires_grad set, as Parameter(data) does. Throws TorchError for non-float requires_grad.
TN_FN(_nn_make_param) {
  at::Tensor t = tensor_arg(info, 0, "data").detach();
  bool rg = bool_arg(info, 1, "requires_grad");
  if (rg) t.set_requires_grad(true);
  return ret(info.Env(), t);
}

// [sync] _nn_set_data(h, src): h.set_data(src) (h keeps its identity, autograd metadata and
// hooks; its storage, dtype and device become src's). Throws TorchError on incompatible types.
TN_FN_NOROLL(_nn_set_data) {
  const at::Tensor& t = tensor_arg(info, 0, "self");
  at::Tensor src = tensor_arg(info, 1, "data");
  t.set_data(src);
  return info.Env().Undefined();
}

// [sync] _nn_same(a, b) -> whether both handles hold the same TensorImpl.
TN_FN_NOROLL(_nn_same) {
  return ret(info.Env(), tensor_arg(info, 0, "a").unsafeGetTensorImpl() == tensor_arg(info, 1, "b").unsafeGetTensorImpl());
}

}  // namespace tn
