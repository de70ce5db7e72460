// Python-style indexing (x[...] and x[...] = v) in one native call per expression, through
// at::indexing. The index list crosses as a flat array of numbers and nulls:
//   0 v            integer v
//   1 a b c        slice a:b:c (null for an omitted part)
//   2              None (new axis)
//   3              Ellipsis
//   4 h            tensor handle h (integer or bool tensor)
//   5 b            boolean b
// Also the data-gathering helper of lib/_tensor_str.ts.
#include "../common/core.h"
#include <ATen/TensorIndexing.h>

namespace tn {

namespace {
#if TORCH_VERSION_MAJOR >= 2
using SliceInt = c10::SymInt;
#else
using SliceInt = int64_t;
#endif

c10::optional<int64_t> opt_part(const Napi::Array& a, uint32_t k) {
  Napi::Value v = a.Get(k);
  if (v.IsNull() || v.IsUndefined()) return c10::nullopt;
  if (!v.IsNumber()) throw_type("slice indices must be integers or None");
  double d = v.As<Napi::Number>().DoubleValue();
  if (d != std::trunc(d)) throw_type("slice indices must be integers or None");
  return static_cast<int64_t>(d);
}
c10::optional<SliceInt> as_slice_int(const c10::optional<int64_t>& v) {
  if (!v.has_value()) return c10::nullopt;
  return SliceInt(*v);
}

int64_t num_at(const Napi::Array& a, uint32_t k) {
  Napi::Value v = a.Get(k);
  if (!v.IsNumber()) throw_type("malformed index specification");
  return static_cast<int64_t>(v.As<Napi::Number>().DoubleValue());
}

std::vector<at::indexing::TensorIndex> index_spec(const Info& info, size_t i) {
  using namespace at::indexing;
  if (i >= info.Length() || !info[i].IsArray()) throw_type("argument 'indices' must be an index specification array");
  Napi::Array a = info[i].As<Napi::Array>();
  uint32_t n = a.Length();
  std::vector<TensorIndex> out;
  out.reserve(n / 2 + 1);
  for (uint32_t k = 0; k < n;) {
    switch (num_at(a, k++)) {
      case 0:
        if (k >= n) throw_type("malformed index specification");
        out.emplace_back(TensorIndex(num_at(a, k++)));
        break;
      case 1: {
        if (k + 3 > n) throw_type("malformed index specification");
        auto start = opt_part(a, k), stop = opt_part(a, k + 1), step = opt_part(a, k + 2);
        k += 3;
        if (step.has_value() && *step == 0) throw_range("slice step cannot be zero");
        out.emplace_back(TensorIndex(Slice(as_slice_int(start), as_slice_int(stop), as_slice_int(step))));
        break;
      }
      case 2: out.emplace_back(TensorIndex(None)); break;
      case 3: out.emplace_back(TensorIndex(Ellipsis)); break;
      case 4:
        if (k >= n) throw_type("malformed index specification");
        out.emplace_back(TensorIndex(tensor_value(a.Get(k++), i, "indices")));
        break;
      case 5:
        if (k >= n) throw_type("malformed index specification");
        out.emplace_back(TensorIndex(num_at(a, k++) != 0));
        break;
      default: throw_type("malformed index specification");
    }
  }
  return out;
}
}  // namespace

// [sync] _index(h, spec) -> handle: self[spec]. TorchError for an index out of range.
TN_FN(_index) {
  at::Tensor t = tensor_arg(info, 0, "self");
  auto spec = index_spec(info, 1);
  return ret(info.Env(), t.index(spec));
}

// [sync] _index_put(h, spec, value: handle | number | boolean, value_is_tensor): self[spec] = value
// (in place). TorchError for shape/dtype mismatches or autograd in-place violations.
TN_FN(_index_put) {
  at::Tensor t = tensor_arg(info, 0, "self");
  auto spec = index_spec(info, 1);
  if (bool_arg(info, 3, "value_is_tensor")) t.index_put_(spec, tensor_arg(info, 2, "value"));
  else t.index_put_(spec, scalar_arg(info, 2, "value"));
  return info.Env().Undefined();
}

namespace {
at::Tensor summarized(const at::Tensor& t, int64_t edge) {
  if (t.dim() == 0) return t;
  int64_t n = t.size(0);
  if (t.dim() == 1) return n > 2 * edge ? at::cat({t.slice(0, 0, edge), t.slice(0, n - edge, n)}) : t;
  std::vector<at::Tensor> rows;
  if (n > 2 * edge) {
    for (int64_t k = 0; k < edge; k++) rows.push_back(summarized(t.select(0, k), edge));
    for (int64_t k = n - edge; k < n; k++) rows.push_back(summarized(t.select(0, k), edge));
  } else {
    for (int64_t k = 0; k < n; k++) rows.push_back(summarized(t.select(0, k), edge));
  }
  return at::stack(rows);
}
}  // namespace

// [sync] _print_data(h, summarize: bool, edgeitems) -> handle: the values to print, as a detached,
// contiguous CPU tensor; float16/bfloat16 become float32, complex becomes its view_as_real;
// summarized (first and last `edgeitems` along each dim) when asked. Used by lib/_tensor_str.ts.
TN_FN(_print_data) {
  at::Tensor t = tensor_arg(info, 0, "self").detach();
  bool summarize = bool_arg(info, 1, "summarize");
  int64_t edge = int_arg(info, 2, "edgeitems");
  if (edge < 0) throw_range("edgeitems must be >= 0");
  c10::InferenceMode guard;
  if (t.is_quantized()) t = t.dequantize();
  if (t.layout() != at::kStrided) t = t.to_dense();
  if (t.is_neg()) t = t.resolve_neg();
  if (t.is_conj()) t = t.resolve_conj();
  t = t.to(at::kCPU);
  if (t.scalar_type() == at::kHalf || t.scalar_type() == at::kBFloat16) t = t.to(at::kFloat);
  if (t.scalar_type() == at::kComplexHalf) t = t.to(at::kComplexFloat);
  if (summarize) t = summarized(t, edge);
  if (t.is_complex()) t = at::view_as_real(t.contiguous());
  return ret(info.Env(), t.contiguous().clone());
}

}  // namespace tn
