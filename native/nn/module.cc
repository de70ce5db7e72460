// Helpers for lib/nn (Module, Parameter, init): parameter creation, in-place data replacement
// (Module.to / .float() keep the Parameter objects, as PyTorch's `param.data = ...` does), the
// thread-local grad mode used by nn.init, and the default generator's seed for tests.
// Invariants: handles are read with tn::get and never kept across calls.
#include "../common/core.h"
#include <ATen/CPUGeneratorImpl.h>

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

// [sync] _nn_requires_grad(h) -> boolean
TN_FN_NOROLL(_nn_requires_grad) { return ret(info.Env(), tensor_arg(info, 0, "self").requires_grad()); }

// [sync] _nn_set_requires_grad(h, flag). Throws TorchError for non-leaf or integer tensors.
TN_FN_NOROLL(_nn_set_requires_grad) {
  const at::Tensor& t = tensor_arg(info, 0, "self");
  t.set_requires_grad(bool_arg(info, 1, "requires_grad"));
  return info.Env().Undefined();
}

// [sync] _nn_grad(h) -> handle of h.grad, or null.
TN_FN(_nn_grad) { return ret(info.Env(), tensor_arg(info, 0, "self").grad()); }

// [sync] _nn_set_grad(h, g|null): h.grad = g (undefined tensor for null).
TN_FN_NOROLL(_nn_set_grad) {
  const at::Tensor& t = tensor_arg(info, 0, "self");
  auto g = opt_tensor_arg(info, 1, "grad");
  t.mutable_grad() = g.has_value() ? *g : at::Tensor();
  return info.Env().Undefined();
}

// [sync] _nn_set_grad_enabled(flag) -> the previous grad mode.
TN_FN_NOROLL(_nn_set_grad_enabled) {
  bool prev = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(bool_arg(info, 0, "mode"));
  return ret(info.Env(), prev);
}

// [sync] _nn_backward(h, grad|null): h.backward(grad) (test helper until torch.autograd lands).
TN_FN(_nn_backward) {
  at::Tensor t = tensor_arg(info, 0, "self");
  auto g = opt_tensor_arg(info, 1, "gradient");
  t.backward(g.has_value() ? *g : at::Tensor());
  return info.Env().Undefined();
}

// [sync] _nn_manual_seed(seed): seeds the default CPU generator (test helper until
// torch.manual_seed lands).
TN_FN_NOROLL(_nn_manual_seed) {
  int64_t s = int_arg(info, 0, "seed");
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_current_seed(static_cast<uint64_t>(s));
  return info.Env().Undefined();
}

}  // namespace tn
