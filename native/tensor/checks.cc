// Checks before kernels that trust their arguments (see common/checks.h). The values checked are
// read with libtorch ops (min/max on the argument tensors); nothing here computes a result.
#include "common/checks.h"
#include <sstream>

namespace tn {
namespace check {

namespace {
std::string join(c10::ArrayRef<int64_t> v) {
  std::ostringstream s;
  s << v;
  return s.str();
}
// min and max of an integer tensor (empty: none), read on the CPU.
bool int_range(const at::Tensor& t, int64_t& lo, int64_t& hi) {
  if (t.numel() == 0) return false;
  at::Tensor c = t.detach().to(at::kCPU).to(at::kLong);
  lo = c.min().item<int64_t>();
  hi = c.max().item<int64_t>();
  return true;
}
}  // namespace

void sum_to_size(const at::Tensor& self, const std::vector<int64_t>& size) {
  // PyTorch's check (ExpandUtils is_expandable_to), made before sum_to reads the sizes: libtorch
  // 1.13 indexes with the negative size before checking it.
  bool ok = size.size() <= static_cast<size_t>(self.dim());
  for (size_t k = 0; ok && k < size.size(); k++) {
    int64_t want = size[size.size() - 1 - k];
    int64_t have = self.size(self.dim() - 1 - static_cast<int64_t>(k));
    ok = want >= 0 && (want == have || want == 1);
  }
  if (!ok) throw_torch("size {" + join(size) + "} is not expandable to size {" + join(self.sizes()) + "}.");
}

void histogramdd_bins(const at::Tensor& self, size_t nbins) {
  if (self.dim() < 1) throw_torch("torch.histogramdd: input tensor should have at least 1 dimension, but got 0");
  int64_t n = self.size(-1);
  if (static_cast<int64_t>(nbins) != n)
    throw_torch("torch.histogramdd: expected " + std::to_string(n) + " sequences of bin edges for a " + std::to_string(n) +
                "-dimensional histogram but got " + std::to_string(nbins));
}

namespace {
void ctc_common(const at::Tensor& log_probs, const at::Tensor& targets, int64_t blank) {
  if (log_probs.dim() < 2) throw_torch("ctc_loss: log_probs must have 2 or 3 dimensions (T, [N,] C), got " + std::to_string(log_probs.dim()));
  int64_t C = log_probs.size(-1);
  if (blank < 0 || blank >= C) throw_torch("blank must be in label range");
  if (!at::isIntegralType(targets.scalar_type(), false)) return;  // libtorch's own dtype check follows
  int64_t lo, hi;
  if (int_range(targets, lo, hi) && (lo < 0 || hi >= C))
    throw_torch("ctc_loss: targets must be class indices in [0, " + std::to_string(C) + "), got values in [" +
                std::to_string(lo) + ", " + std::to_string(hi) + "]");
}
void ctc_lengths(const char* name, int64_t lo) {
  if (lo < 0) throw_torch(std::string("ctc_loss: ") + name + " must be >= 0, got " + std::to_string(lo));
}
}  // namespace

void ctc_loss(const at::Tensor& log_probs, const at::Tensor& targets, const at::Tensor& input_lengths,
              const at::Tensor& target_lengths, int64_t blank) {
  ctc_common(log_probs, targets, blank);
  int64_t lo, hi;
  if (at::isIntegralType(input_lengths.scalar_type(), false) && int_range(input_lengths, lo, hi)) ctc_lengths("input_lengths", lo);
  if (at::isIntegralType(target_lengths.scalar_type(), false) && int_range(target_lengths, lo, hi)) ctc_lengths("target_lengths", lo);
}
void ctc_loss(const at::Tensor& log_probs, const at::Tensor& targets, const std::vector<int64_t>& input_lengths,
              const std::vector<int64_t>& target_lengths, int64_t blank) {
  ctc_common(log_probs, targets, blank);
  for (int64_t v : input_lengths) ctc_lengths("input_lengths", v);
  for (int64_t v : target_lengths) ctc_lengths("target_lengths", v);
}

void ldl_pivots(const at::Tensor& LD, const at::Tensor& pivots) {
  // LAPACK's sytrs/hetrs index rows with the pivots unchecked. Valid pivots (sytrf, lower or
  // upper): 1-based; p > 0 is a 1x1 block swapped with row p; a 2x2 block is two equal negative
  // entries in a row, -p being the row swapped.
  if (LD.dim() < 2 || pivots.dim() < 1 || pivots.scalar_type() != at::kInt) return;  // libtorch's shape/dtype checks follow
  int64_t n = LD.size(-1);
  if (pivots.size(-1) != n || LD.size(-2) != n) return;
  at::Tensor p = pivots.detach().to(at::kCPU).contiguous().reshape({-1, n});
  auto a = p.accessor<int32_t, 2>();
  for (int64_t b = 0; b < p.size(0); b++) {
    for (int64_t k = 0; k < n; k++) {
      int64_t v = a[b][k];
      bool ok = v != 0 && v <= n && v >= -n;
      if (ok && v < 0) {
        ok = k + 1 < n && a[b][k + 1] == v;
        k++;
      }
      if (!ok)
        throw_torch("torch.linalg.ldl_solve: pivots are not valid LDL factorization pivots (entry " + std::to_string(k) +
                    " is " + std::to_string(v) + "; expected the pivots returned by torch.linalg.ldl_factor)");
    }
  }
}

void max_pool(const char* op, size_t nd, const at::Tensor& self, const std::vector<int64_t>& kernel_size,
              const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
              const std::vector<int64_t>& dilation) {
  // libtorch's kernels loop over the whole window for each output element; a window longer than
  // the padded input still yields one output element (the size rounds up to 1), so a huge
  // kernel_size or dilation loops for ever. Such a window covers no input the caller could mean:
  // refuse it, in the words libtorch uses for a too small output.
  if (self.dim() < static_cast<int64_t>(nd)) return;  // libtorch's dimension check follows
  auto at_ = [](const std::vector<int64_t>& v, size_t k, int64_t def) { return v.empty() ? def : v[v.size() == 1 ? 0 : k]; };
  for (size_t k = 0; k < nd; k++) {
    int64_t L = self.size(self.dim() - static_cast<int64_t>(nd) + static_cast<int64_t>(k));
    int64_t ks = at_(kernel_size, k, 1), d = at_(dilation, k, 1), p = at_(padding, k, 0);
    (void)stride;
    if (ks <= 0 || d <= 0 || p < 0) return;  // libtorch's own checks name these
    // (ks - 1) * d + 1 > L + 2p, written so that no product overflows
    __int128 window = static_cast<__int128>(ks - 1) * d + 1;
    __int128 padded = static_cast<__int128>(L) + 2 * static_cast<__int128>(p);
    if (window > padded)
      throw_torch(std::string(op) + "(): the pooling window (kernel_size " + std::to_string(ks) + ", dilation " +
                  std::to_string(d) + ") is larger than the padded input (" + std::to_string(static_cast<int64_t>(padded)) +
                  ") at spatial dimension " + std::to_string(k) + ": Output size is too small");
  }
}

void matrix_power(int64_t n) {
  // libtorch negates a negative n (after inverting); -INT64_MIN overflows to itself and the
  // squaring loop never ends. |n| <= 2^63 - 1 covers every other exponent.
  if (n == std::numeric_limits<int64_t>::min())
    throw_range("matrix_power(): argument 'n' must be greater than -2**63 (its negation overflows int64), got " + std::to_string(n));
}

namespace {
// libtorch's recurrences run n steps for every element (Chebyshev's cos form only for |x| < 1).
// 2^31 steps take seconds per element; no degree beyond that can be computed in useful time.
constexpr int64_t kMaxDegree = (int64_t{1} << 31) - 1;
void degree_error(const char* op, double n) {
  std::ostringstream s;
  s << op << "(): argument 'n' (" << n << ") exceeds " << kMaxDegree
    << ": the polynomial is evaluated by a recurrence of n steps per element, which could not finish";
  throw_range(s.str());
}
}  // namespace

// The whole evaluation: n steps for each element (x broadcast against n). 2^34 steps take
// a minute or more; the fuzzer found n = 2^31 - 1 on 32 elements running for minutes.
constexpr double kMaxSteps = 17179869184.0;  // 2^34
void work_error(const char* op, double n, int64_t elements) {
  std::ostringstream s;
  s.precision(2);
  s << op << "(): argument 'n' (" << static_cast<int64_t>(n) << ") on " << elements << " elements needs "
    << n * static_cast<double>(elements) << " recurrence steps (n per element), more than 2**34: it could not finish in useful time";
  throw_range(s.str());
}
void polynomial_degree(const char* op, const at::Tensor& n, int64_t elements) {
  if (n.numel() == 0 || n.is_complex()) return;
  double hi = n.detach().to(at::kCPU).to(at::kDouble).max().item<double>();
  if (hi > static_cast<double>(kMaxDegree)) degree_error(op, hi);
  int64_t e = std::max(elements, n.numel());
  if (hi * static_cast<double>(e) > kMaxSteps) work_error(op, hi, e);
}
void polynomial_degree(const char* op, const at::Scalar& n, int64_t elements) {
  if (n.isComplex()) return;
  double v = n.toDouble();
  if (v > static_cast<double>(kMaxDegree)) degree_error(op, v);
  if (v * static_cast<double>(elements) > kMaxSteps) work_error(op, v, elements);
}

void index_tensors(const char* op, const c10::List<c10::optional<at::Tensor>>& indices) {
  for (const c10::optional<at::Tensor>& t : indices)
    if (t.has_value() && t->defined()) return;
  throw_torch(std::string(op) + "(): expected at least one index tensor in indices, got " +
              (indices.empty() ? "an empty list" : "only None"));
}

}  // namespace check
}  // namespace tn
