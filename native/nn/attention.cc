// scaled_dot_product_attention: an ATen op from libtorch 2.0 on (absent in 1.13, where the entry
// point exists and throws so that the JS surface is the same on every libtorch).
#include "common/core.h"
#include <torch/version.h>

namespace tn {
namespace {

// [sync] _nn_scaled_dot_product_attention(q, k, v, attn_mask|null, dropout_p, is_causal, scale|null)
// -> handle; throws TorchError on libtorch < 2.0 (and for `scale` on < 2.1) or on bad shapes.
TN_FN(_nn_scaled_dot_product_attention) {
  at::Tensor q = tensor_arg(info, 0, "query");
  at::Tensor k = tensor_arg(info, 1, "key");
  at::Tensor v = tensor_arg(info, 2, "value");
  opt<at::Tensor> mask = opt_tensor_arg(info, 3, "attn_mask");
  double dropout_p = double_arg(info, 4, "dropout_p");
  bool is_causal = bool_arg(info, 5, "is_causal");
  opt<double> scale = opt_double_arg(info, 6, "scale");
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
  return ret(info.Env(), at::scaled_dot_product_attention(q, k, v, mask, dropout_p, is_causal, scale));
#elif TORCH_VERSION_MAJOR == 2
  if (scale.has_value()) throw_torch("scaled_dot_product_attention: the scale argument needs libtorch 2.1 or newer");
  return ret(info.Env(), at::scaled_dot_product_attention(q, k, v, mask, dropout_p, is_causal));
#else
  (void)q; (void)k; (void)v; (void)mask; (void)dropout_p; (void)is_causal; (void)scale;
  throw_torch("scaled_dot_product_attention needs libtorch 2.0 or newer (this build uses libtorch " TORCH_VERSION ")");
#endif
}

}  // namespace
}  // namespace tn
