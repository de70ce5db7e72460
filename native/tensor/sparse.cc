// Layout queries for the Tensor core (sparse COO tensors come from nn.Embedding(sparse=True)
// gradients, torch.sparse_coo_tensor and Tensor.to_sparse; their ops are generated).
#include "common/core.h"

namespace tn {
namespace {

// [sync] _layout(t) -> c10::Layout code (0 strided, 1 sparse_coo, 2 sparse_csr, …). Throws on a
// disposed handle.
TN_FN_NOROLL(_layout) {
  return Napi::Number::New(info.Env(), static_cast<int>(tensor_arg(info, 0, "self").layout()));
}

}  // namespace
}  // namespace tn
