// Argument checks that libtorch's kernels do not make before trusting their arguments (an index
// read without a bound, a loop whose count comes from the caller). The generated entry points
// (scripts/codegen/gen.js CHECKS) call them after converting the arguments and before the op.
// Each throws TorchError (PyTorch's wording where PyTorch has a check) or RangeError.
#pragma once
#include "core.h"

namespace tn {
namespace check {

// [sync] sum_to_size(self, size): every size is >= 0 and size is expandable to self's shape.
void sum_to_size(const at::Tensor& self, const std::vector<int64_t>& size);
// [sync] histogramdd: one bin count / bin-edge tensor per input dimension (self's last dim).
void histogramdd_bins(const at::Tensor& self, size_t nbins);
// [sync] ctc_loss: blank and targets are class indices of log_probs; lengths are >= 0.
void ctc_loss(const at::Tensor& log_probs, const at::Tensor& targets, const at::Tensor& input_lengths,
              const at::Tensor& target_lengths, int64_t blank);
void ctc_loss(const at::Tensor& log_probs, const at::Tensor& targets, const std::vector<int64_t>& input_lengths,
              const std::vector<int64_t>& target_lengths, int64_t blank);
// [sync] linalg_ldl_solve: pivots are valid LAPACK sytrf pivots for LD.
void ldl_pivots(const at::Tensor& LD, const at::Tensor& pivots);
// [sync] max_poolNd: the window fits in the padded input.
void max_pool(const char* op, size_t nd, const at::Tensor& self, const std::vector<int64_t>& kernel_size,
              const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
              const std::vector<int64_t>& dilation);
// [sync] matrix_power: n is not INT64_MIN (whose negation overflows).
void matrix_power(int64_t n);
// [sync] special orthogonal polynomials: the degree n bounds a per-element loop.
// `elements` is the element count of x: the recurrence runs n steps for each.
void polynomial_degree(const char* op, const at::Tensor& n, int64_t elements);
void polynomial_degree(const char* op, const at::Scalar& n, int64_t elements);
inline int64_t count(const at::Tensor& t) { return t.numel(); }
inline int64_t count(const at::Scalar&) { return 1; }

// [sync] index / index_put: at least one of the indices is a tensor (libtorch asserts otherwise).
void index_tensors(const char* op, const c10::List<c10::optional<at::Tensor>>& indices);

}  // namespace check
}  // namespace tn
