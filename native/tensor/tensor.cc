// Tensor basics that generation cannot express: construction from JS data, reading data out,
// metadata, and device/dtype conversion.
#include "../common/core.h"
#include "../common/state.h"
#include <cstring>
#include <ATen/detail/CUDAHooksInterface.h>
#include <ATen/TracerMode.h>

namespace tn {

namespace {
struct ZeroCopyCtx { State* st; napi_ref ref; };
}  // namespace

// [sync] _from_buffer(typedArray, shape, dtype, copy: bool) -> handle.
// Interprets the bytes of `typedArray` (its byteOffset/byteLength) as `dtype` with `shape`.
// copy=false shares the memory (torch.frombuffer): the tensor keeps the buffer alive.
// Throws RangeError when the byte count does not match the shape.
TN_FN(_from_buffer) {
  Napi::Env env = info.Env();
  TypedArrayView ta = typed_array_arg(info, 0, "data");
  std::vector<int64_t> shape = int_list_arg(info, 1, "shape");
  at::ScalarType dt = dtype_arg(info, 2, "dtype");
  bool copy = bool_arg(info, 3, "copy");
  void* data = ta.data;
  napi_value ab = ta.buffer;
  size_t nbytes = ta.byte_length;
  int64_t numel = 1;
  for (int64_t d : shape) {
    if (d < 0) throw_range("negative dimension " + std::to_string(d) + " in shape");
    numel *= d;
  }
  size_t need = static_cast<size_t>(numel) * c10::elementSize(dt);
  if (need != nbytes)
    throw_range("data holds " + std::to_string(nbytes) + " bytes but shape and dtype need " + std::to_string(need));
  auto opts = at::TensorOptions().dtype(dt);
  if (!copy && data != nullptr && need > 0) {
    auto* ctx = new ZeroCopyCtx{&state(), nullptr};
    napi_create_reference(env, ab, 1, &ctx->ref);
    at::Tensor t = at::from_blob(
        data, shape, [ctx](void*) { defer_release(ctx->st, ctx->ref); delete ctx; }, opts);
    return ret(env, t);
  }
  // Data from JS is a constant to the JIT tracer (native/async), not an aten::empty node.
  at::tracer::impl::NoTracerDispatchMode no_trace;
  at::Tensor t = at::empty(shape, opts);
  if (need) std::memcpy(t.data_ptr(), data, need);
  return ret(env, t);
}

// [sync] _copy_to(h, typedArray): copies the tensor's elements (row-major, on CPU) into the
// JS-owned typed array, which must hold exactly numel*element_size bytes.
TN_FN_NOROLL(_copy_to) {
  Napi::Env env = info.Env();
  at::Tensor t = tensor_arg(info, 0, "self");
  TypedArrayView out = typed_array_arg(info, 1, "out");
  at::Tensor c = t.detach();
  if (c.is_quantized()) c = c.int_repr();
  if (c.is_conj()) c = c.resolve_conj();
  if (c.is_neg()) c = c.resolve_neg();
  c = c.to(at::kCPU).contiguous();
  size_t need = static_cast<size_t>(c.numel()) * c.element_size();
  if (out.byte_length != need) throw_range("output buffer size does not match the tensor");
  if (need) std::memcpy(out.data, c.data_ptr(), need);
  return env.Undefined();
}

// [sync] _shape(h) -> number[]
TN_FN_NOROLL(_shape) {
  Napi::Env env = info.Env();
  const at::Tensor& t = tensor_arg(info, 0, "self");
  auto s = t.sizes();
  Napi::Array a = Napi::Array::New(env, s.size());
  for (size_t k = 0; k < s.size(); k++) a.Set(static_cast<uint32_t>(k), Napi::Number::New(env, static_cast<double>(s[k])));
  return a;
}
// [sync] _set_default_dtype(code): at::set_default_dtype, as torch.set_default_dtype does: every
// factory without a dtype, integer-to-float promotion and complex default follow it (process-wide,
// so every worker thread sees it, as every Python thread does). The caller checks it is floating.
TN_FN_NOROLL(_set_default_dtype) {
  at::set_default_dtype(c10::scalarTypeToTypeMeta(dtype_arg(info, 0, "d")));
  return info.Env().Undefined();
}
// [sync] _get_default_dtype() -> ScalarType code of at::get_default_dtype()
TN_FN_NOROLL(_get_default_dtype) { return ret(info.Env(), at::typeMetaToScalarType(at::get_default_dtype())); }
// [sync] _dtype(h) -> ScalarType code
TN_FN_NOROLL(_dtype) { return ret(info.Env(), tensor_arg(info, 0, "self").scalar_type()); }
// [sync] _device(h) -> 'cpu' | 'cuda:0' | ...
TN_FN_NOROLL(_device) {
  const at::Tensor& t = tensor_arg(info, 0, "self");
  return Napi::String::New(info.Env(), t.device().str());
}
TN_FN_NOROLL(_dim) { return ret(info.Env(), static_cast<int64_t>(tensor_arg(info, 0, "self").dim())); }
TN_FN_NOROLL(_numel) { return ret(info.Env(), static_cast<int64_t>(tensor_arg(info, 0, "self").numel())); }
TN_FN_NOROLL(_stride) { return ret(info.Env(), tensor_arg(info, 0, "self").strides().vec()); }
TN_FN_NOROLL(_storage_offset) { return ret(info.Env(), static_cast<int64_t>(tensor_arg(info, 0, "self").storage_offset())); }
// [sync] _contiguous(h, memory_format|null) -> handle, or null when the tensor already is (PyTorch
// returns self then).
TN_FN(_contiguous) {
  at::Tensor t = tensor_arg(info, 0, "self");
  auto mf = opt_memory_format_arg(info, 1, "memory_format").value_or(at::MemoryFormat::Contiguous);
  at::Tensor r = t.contiguous(mf);
  if (r.is_same(t)) return info.Env().Null();
  return ret(info.Env(), r);
}
TN_FN_NOROLL(_is_contiguous) { return ret(info.Env(), tensor_arg(info, 0, "self").is_contiguous()); }
TN_FN_NOROLL(_element_size) { return ret(info.Env(), static_cast<int64_t>(tensor_arg(info, 0, "self").element_size())); }

// [sync] _item(h) -> number | boolean | bigint-safe number. Throws for numel != 1.
TN_FN_NOROLL(_item) {
  at::Tensor t = tensor_arg(info, 0, "self");
  if (t.numel() != 1)
    throw_torch("a Tensor with " + std::to_string(t.numel()) + " elements cannot be converted to Scalar");
  return ret(info.Env(), t.item());
}

// [sync] _to(h, device|null, dtype|null, non_blocking, copy) -> handle, or null when the result is
// the tensor itself (as Tensor.to returns self in PyTorch). Throws TorchError for unknown devices.
TN_FN(_to) {
  at::Tensor t = tensor_arg(info, 0, "self");
  auto dev = opt_device_arg(info, 1, "device");
  auto dt = opt_dtype_arg(info, 2, "dtype");
  bool nb = bool_arg(info, 3, "non_blocking");
  bool cp = bool_arg(info, 4, "copy");
  at::Tensor r = t.to(dev.value_or(t.device()), dt.value_or(t.scalar_type()), nb, cp);
  if (r.is_same(t)) return info.Env().Null();
  return ret(info.Env(), r);
}

// [sync] _cuda_info() -> [is_available, device_count]
TN_FN_NOROLL(_cuda_info) {
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  bool avail = at::hasCUDA() && at::detail::getCUDAHooks().getNumGPUs() > 0;
  a.Set(0u, Napi::Boolean::New(info.Env(), avail));
  a.Set(1u, Napi::Number::New(info.Env(), avail ? static_cast<double>(at::detail::getCUDAHooks().getNumGPUs()) : 0.0));
  return a;
}

}  // namespace tn
