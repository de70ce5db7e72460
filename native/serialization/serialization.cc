// Storage-level helpers for torch.save/torch.load and safetensors (lib/serialization/).
// Invariants:
// - A "byte tensor" here is a 1-D contiguous uint8 tensor whose storage is the storage being
//   saved or loaded; views made from it with _ser_view share that storage (one StorageImpl), so
//   tensors that shared a storage in the file share it after loading, and vice versa.
// - An ArrayBuffer from _ser_external points into a CPU byte tensor's memory and owns a copy of
//   that tensor (so the storage outlives the buffer even if JS disposes the tensor); the copy is
//   released by the buffer's finalizer.
// - Sizes coming from a file are checked here before any storage is created or resized:
//   _ser_view refuses a view that does not fit inside its storage (set_ would otherwise grow it).
#include "../common/core.h"
#include "../common/state.h"
#include <cstring>

namespace tn {

namespace {
int32_t handle_at(const Info& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsNumber()) throw_type(std::string("argument '") + name + "' must be a Tensor");
  return info[i].As<Napi::Number>().Int32Value();
}

// A 1-D uint8 tensor over all bytes of t's storage, on t's device (no copy).
at::Tensor storage_bytes(const at::Tensor& t) {
  const at::Storage& st = t.storage();
  int64_t n = static_cast<int64_t>(st.nbytes());
  return at::empty({0}, at::TensorOptions().dtype(at::kByte).device(t.device())).set_(st, 0, {n}, {1});
}

void check_plain(const at::Tensor& t, const char* what) {
  if (!t.defined()) throw_torch(std::string(what) + ": undefined tensor");
  if (t.layout() != at::kStrided) throw_torch(std::string(what) + ": only strided (dense) tensors are supported, not sparse or mkldnn tensors");
  if (t.is_quantized()) throw_torch(std::string(what) + ": quantized tensors are not supported");
  if (t.is_meta()) throw_torch(std::string(what) + ": meta tensors have no data to save");
  if (!t.has_storage()) throw_torch(std::string(what) + ": tensor has no storage");
}
}  // namespace

// [sync] _ser_tensor_info(h) -> [storage_id, storage_nbytes, storage_offset, shape[], stride[],
// dtype code, device string, requires_grad]. storage_id identifies the StorageImpl (views of one
// storage report the same id). Throws TorchError for sparse, quantized and meta tensors.
TN_FN_NOROLL(_ser_tensor_info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = get(handle_at(info, 0, "tensor"));
  check_plain(t, "torch.save");
  if (t.is_conj() || t.is_neg())
    throw_torch("torch.save: tensors with a lazy conjugate/negative bit are not supported; call resolve_conj()/resolve_neg() first");
  Napi::Array a = Napi::Array::New(env, 8);
  auto id = reinterpret_cast<uintptr_t>(t.storage().unsafeGetStorageImpl());
  a.Set(0u, Napi::Number::New(env, static_cast<double>(id)));
  a.Set(1u, Napi::Number::New(env, static_cast<double>(t.storage().nbytes())));
  a.Set(2u, Napi::Number::New(env, static_cast<double>(t.storage_offset())));
  a.Set(3u, ret(env, t.sizes().vec()));
  a.Set(4u, ret(env, t.strides().vec()));
  a.Set(5u, ret(env, t.scalar_type()));
  a.Set(6u, Napi::String::New(env, t.device().str()));
  a.Set(7u, Napi::Boolean::New(env, t.requires_grad()));
  return a;
}

// [sync] _ser_storage_bytes(h) -> handle of a 1-D uint8 tensor over every byte of h's storage
// (sharing memory on CPU; a CPU copy for other devices).
TN_FN(_ser_storage_bytes) {
  at::Tensor t = tensor_arg(info, 0, "tensor");
  check_plain(t, "torch.save");
  at::Tensor b = storage_bytes(t);
  if (!b.device().is_cpu()) b = b.to(at::kCPU);
  return ret(info.Env(), b);
}

// [sync] _ser_data_bytes(h) -> handle of a 1-D uint8 CPU tensor holding h's elements in
// row-major order (a view when h is contiguous on CPU, a copy otherwise).
TN_FN(_ser_data_bytes) {
  at::Tensor t = tensor_arg(info, 0, "tensor");
  check_plain(t, "safetensors");
  at::Tensor c = t.detach();
  if (c.is_conj()) c = c.resolve_conj();
  if (c.is_neg()) c = c.resolve_neg();
  c = c.to(at::kCPU).contiguous();
  int64_t n = c.numel() * static_cast<int64_t>(c.element_size());
  at::Tensor b = at::empty({0}, at::TensorOptions().dtype(at::kByte)).set_(c.storage(), c.storage_offset() * c.element_size(), {n}, {1});
  return ret(info.Env(), b);
}

// [sync] _ser_empty_bytes(n) -> handle of an uninitialized 1-D uint8 CPU tensor of n bytes.
// Callers check n against the file first. Throws RangeError for n < 0.
TN_FN(_ser_empty_bytes) {
  int64_t n = int_arg(info, 0, "nbytes");
  if (n < 0) throw_range("nbytes must be >= 0");
  return ret(info.Env(), at::empty({n}, at::TensorOptions().dtype(at::kByte)));
}

// [sync] _ser_external(h) -> ArrayBuffer over a contiguous CPU uint8 tensor's bytes (no copy), or
// null where the runtime refuses external buffers (the caller then uses _ser_copy).
TN_FN_NOROLL(_ser_external) {
  Napi::Env env = info.Env();
  at::Tensor t = tensor_arg(info, 0, "bytes");
  if (t.scalar_type() != at::kByte || !t.device().is_cpu() || !t.is_contiguous() || t.dim() != 1)
    throw_type("_ser_external: expected a contiguous 1-D uint8 CPU tensor");
  size_t n = static_cast<size_t>(t.numel());
  if (n == 0) return Napi::ArrayBuffer::New(env, 0);
  auto* keep = new at::Tensor(t);
  napi_value ab;
  napi_status s = napi_create_external_arraybuffer(
      env, t.data_ptr(), n, [](napi_env, void*, void* hint) { delete static_cast<at::Tensor*>(hint); }, keep, &ab);
  if (s != napi_ok) {
    delete keep;
    // napi_no_external_buffers_allowed (Electron's V8 sandbox) or any other refusal: fall back.
    const napi_extended_error_info* ei;
    napi_get_last_error_info(env, &ei);
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value e;
      napi_get_and_clear_last_exception(env, &e);
    }
    return env.Null();
  }
  return Napi::Value(env, ab);
}

// [sync] _ser_copy(h, byte_offset, u8, to_tensor): copies between a contiguous CPU uint8 tensor
// at byte_offset and the Uint8Array (to_tensor: u8 -> tensor, else tensor -> u8).
// Throws RangeError when the range is outside the tensor.
TN_FN_NOROLL(_ser_copy) {
  Napi::Env env = info.Env();
  at::Tensor t = tensor_arg(info, 0, "bytes");
  int64_t off = int_arg(info, 1, "byte_offset");
  if (!info[2].IsTypedArray()) throw_type("argument 'buffer' must be a Uint8Array");
  bool to_tensor = bool_arg(info, 3, "to_tensor");
  if (t.scalar_type() != at::kByte || !t.device().is_cpu() || !t.is_contiguous())
    throw_type("_ser_copy: expected a contiguous uint8 CPU tensor");
  Napi::TypedArray ta = info[2].As<Napi::TypedArray>();
  napi_typedarray_type tat;
  size_t len;
  void* data;
  napi_value ab;
  size_t boff;
  napi_get_typedarray_info(env, ta, &tat, &len, &data, &ab, &boff);
  if (tat != napi_uint8_array) throw_type("argument 'buffer' must be a Uint8Array");
  if (off < 0 || static_cast<uint64_t>(off) + len > static_cast<uint64_t>(t.numel()))
    throw_range("_ser_copy: range outside the tensor");
  if (len == 0) return env.Undefined();
  auto* p = static_cast<uint8_t*>(t.data_ptr()) + off;
  if (to_tensor) std::memcpy(p, data, len);
  else std::memcpy(data, p, len);
  return env.Undefined();
}

// [sync] _ser_view(bytes_h, dtype, storage_offset, size[], stride[], requires_grad) -> handle of a
// tensor of `dtype` over bytes_h's storage (same StorageImpl, any device). storage_offset is in
// elements of dtype. Throws TorchError when the view does not fit inside the storage or a size,
// stride or offset is negative.
TN_FN(_ser_view) {
  at::Tensor b = tensor_arg(info, 0, "bytes");
  at::ScalarType dt = dtype_arg(info, 1, "dtype");
  int64_t off = int_arg(info, 2, "storage_offset");
  std::vector<int64_t> size = int_list_arg(info, 3, "size");
  std::vector<int64_t> stride = int_list_arg(info, 4, "stride");
  bool rg = bool_arg(info, 5, "requires_grad");
  if (size.size() != stride.size())
    throw_torch("torch.load: size has " + std::to_string(size.size()) + " dimensions but stride has " + std::to_string(stride.size()));
  if (off < 0) throw_torch("torch.load: negative storage offset " + std::to_string(off));
  const int64_t item = static_cast<int64_t>(c10::elementSize(dt));
  const uint64_t nbytes = b.storage().nbytes();
  // Highest element index touched, computed without overflow.
  bool empty = false;
  uint64_t last = static_cast<uint64_t>(off);
  for (size_t k = 0; k < size.size(); k++) {
    if (size[k] < 0) throw_torch("torch.load: negative size " + std::to_string(size[k]));
    if (stride[k] < 0) throw_torch("torch.load: negative stride " + std::to_string(stride[k]));
    if (size[k] == 0) empty = true;
  }
  if (!empty) {
    for (size_t k = 0; k < size.size(); k++) {
      uint64_t ext;
      if (__builtin_mul_overflow(static_cast<uint64_t>(size[k] - 1), static_cast<uint64_t>(stride[k]), &ext) ||
          __builtin_add_overflow(last, ext, &last))
        throw_torch("torch.load: tensor sizes and strides overflow");
    }
    uint64_t end;
    if (__builtin_add_overflow(last, 1, &end) || __builtin_mul_overflow(end, static_cast<uint64_t>(item), &end) || end > nbytes)
      throw_torch("torch.load: a tensor of size " + c10::str(c10::IntArrayRef(size)) + ", stride " + c10::str(c10::IntArrayRef(stride)) +
                  " and offset " + std::to_string(off) + " does not fit in its storage of " + std::to_string(nbytes) + " bytes");
  } else {
    // An empty tensor touches nothing, but set_ still wants offset*itemsize <= nbytes.
    if (static_cast<uint64_t>(off) > nbytes / static_cast<uint64_t>(item)) off = 0;
  }
  at::Tensor t = at::empty({0}, b.options().dtype(dt)).set_(b.storage(), off, size, stride);
  if (rg) {
    if (!(at::isFloatingType(dt) || at::isComplexType(dt)))
      throw_torch("torch.load: only floating point and complex tensors can require gradients");
    t.set_requires_grad(true);
  }
  return ret(info.Env(), t);
}

// [sync] _ser_byteswap(bytes_h, itemsize): reverses each itemsize-byte group in place (for
// archives written on big-endian machines). Throws RangeError for a length not divisible.
TN_FN_NOROLL(_ser_byteswap) {
  at::Tensor t = tensor_arg(info, 0, "bytes");
  int64_t item = int_arg(info, 1, "itemsize");
  if (t.scalar_type() != at::kByte || !t.device().is_cpu() || !t.is_contiguous())
    throw_type("_ser_byteswap: expected a contiguous uint8 CPU tensor");
  if (item <= 1) return info.Env().Undefined();
  if (t.numel() % item != 0) throw_range("_ser_byteswap: length is not a multiple of the item size");
  auto* p = static_cast<uint8_t*>(t.data_ptr());
  for (int64_t i = 0; i < t.numel(); i += item) std::reverse(p + i, p + i + item);
  return info.Env().Undefined();
}

}  // namespace tn
