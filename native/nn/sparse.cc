// Sparse-layout helpers for nn.Embedding/EmbeddingBag(sparse=True), whose weight.grad is a sparse
// COO tensor: the Tensor core has no layout API yet, so lib/nn and the tests read it here.
#include "common/core.h"

namespace tn {
namespace {

// [sync] _nn_is_sparse(t) -> bool: whether t has a sparse layout. Throws on a disposed handle.
TN_FN_NOROLL(_nn_is_sparse) {
  return Napi::Boolean::New(info.Env(), tensor_arg(info, 0, "self").is_sparse());
}

// [sync] _nn_to_dense(t) -> handle: a strided copy of a sparse tensor (t itself when strided).
TN_FN(_nn_to_dense) {
  at::Tensor t = tensor_arg(info, 0, "self");
  return ret(info.Env(), t.is_sparse() ? t.to_dense() : t);
}

}  // namespace
}  // namespace tn
