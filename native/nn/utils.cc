// Helpers for torch.nn.utils that the generated surface skips (underscore ATen ops).
#include "common/core.h"

namespace tn {
namespace {

// [sync] _nn_weight_norm(v, g, dim) -> handle of v * (g / ‖v‖ over every dim but `dim`)
// (at::_weight_norm, differentiable; dim -1 normalizes over the whole tensor). Throws TorchError
// on mismatched shapes.
TN_FN(_nn_weight_norm) {
  at::Tensor v = tensor_arg(info, 0, "v");
  at::Tensor g = tensor_arg(info, 1, "g");
  int64_t dim = int_arg(info, 2, "dim");
  return ret(info.Env(), at::_weight_norm(v, g, dim));
}

}  // namespace
}  // namespace tn
