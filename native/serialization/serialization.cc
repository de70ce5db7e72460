// Storage-level helpers for torch.save/torch.load and safetensors (lib/serialization/).
// Invariants:
// - A "byte tensor" here is a 1-D contiguous uint8 tensor whose storage is the storage being
//   saved or loaded; views made from it with _ser_view share that storage (one StorageImpl), so
//   tensors that shared a storage in the file share it after loading, and vice versa.
// - No JS object ever points into tensor memory: bytes move by pread into the tensor, or by
//   memcpy between the tensor and a JS-owned buffer (_ser_copy), so disposing a tensor frees its
//   memory at once.
// - Sizes coming from a file are checked here before any storage is created or resized:
//   _ser_view refuses a view that does not fit inside its storage (set_ would otherwise grow it).
#include "../common/core.h"
#include "../common/state.h"
#include "ser_util.h"
#include <cstring>
#include <cerrno>
#ifndef _WIN32
#include <unistd.h>
#endif

namespace tn {

namespace {
// A 1-D uint8 tensor over all bytes of t's storage, on t's device (no copy).
at::Tensor storage_bytes(const at::Tensor& t) {
  const at::Storage& st = t.storage();
  int64_t n = static_cast<int64_t>(st.nbytes());
  return at::empty({0}, at::TensorOptions().dtype(at::kByte).device(t.device())).set_(st, 0, {n}, {1});
}

void check_plain(const at::Tensor& t, const char* what, bool allow_quantized = false) {
  if (!t.defined()) throw_torch(std::string(what) + ": undefined tensor");
  if (t.layout() != at::kStrided) throw_torch(std::string(what) + ": only strided (dense) tensors are supported, not sparse or mkldnn tensors");
  if (t.is_quantized() && !allow_quantized) throw_torch(std::string(what) + ": quantized tensors are not supported");
  if (t.is_meta()) throw_torch(std::string(what) + ": meta tensors have no data to save");
  if (!t.has_storage()) throw_torch(std::string(what) + ": tensor has no storage");
}
}  // namespace

namespace ser {
at::Tensor saved_storage_bytes(const at::Tensor& t) {
  check_plain(t, "torch.save", /*allow_quantized=*/true);
  at::Tensor b = storage_bytes(t);
  if (!b.device().is_cpu()) b = b.to(at::kCPU);
  return b;
}

// A tensor of `dt` over `st` (same StorageImpl, on `opts`' device), after checking that every
// element it can reach lies inside the storage: set_ would otherwise grow the storage, which is
// how a hostile file could make us allocate without bound.
at::Tensor view_of(const at::Storage& st, const at::TensorOptions& opts, at::ScalarType dt, int64_t off,
                   const std::vector<int64_t>& size, const std::vector<int64_t>& stride, bool rg) {
  if (size.size() != stride.size())
    throw_torch("torch.load: size has " + std::to_string(size.size()) + " dimensions but stride has " + std::to_string(stride.size()));
  if (off < 0) throw_torch("torch.load: negative storage offset " + std::to_string(off));
  const int64_t item = static_cast<int64_t>(c10::elementSize(dt));
  const uint64_t nbytes = st.nbytes();
  bool empty = false;
  for (size_t k = 0; k < size.size(); k++) {
    if (size[k] < 0) throw_torch("torch.load: negative size " + std::to_string(size[k]));
    if (stride[k] < 0) throw_torch("torch.load: negative stride " + std::to_string(stride[k]));
    if (size[k] == 0) empty = true;
  }
  uint64_t numel = 1;
  for (int64_t d : size)
    if (__builtin_mul_overflow(numel, static_cast<uint64_t>(d), &numel) || numel > static_cast<uint64_t>(INT64_MAX))
      throw_torch("torch.load: tensor size " + c10::str(c10::IntArrayRef(size)) + " has too many elements");
  if (!empty) {
    uint64_t last = static_cast<uint64_t>(off);  // highest element index touched, without overflow
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
  } else if (static_cast<uint64_t>(off) > nbytes / static_cast<uint64_t>(item)) {
    off = 0;  // an empty tensor touches nothing, but set_ still wants its offset inside the storage
  }
  if (rg && !(at::isFloatingType(dt) || at::isComplexType(dt)))
    throw_torch("torch.load: only floating point and complex tensors can require gradients");
  at::Tensor t = at::empty({0}, opts.dtype(dt)).set_(st, off, size, stride);
  if (rg) t.set_requires_grad(true);
  return t;
}

std::vector<int64_t> int_list_of(const Napi::Value& v, const char* name) {
  if (!v.IsArray()) throw_type(std::string(name) + " must be an array of integers");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) {
    Napi::Value x = a.Get(k);
    if (!x.IsNumber()) throw_type(std::string(name) + " must be an array of integers");
    double d = x.As<Napi::Number>().DoubleValue();
    if (d != static_cast<double>(static_cast<int64_t>(d))) throw_type(std::string(name) + " must be an array of integers");
    out[k] = static_cast<int64_t>(d);
  }
  return out;
}

void swap_bytes(uint8_t* p, int64_t n, int64_t item) {
  if (item <= 1) return;
  if (n % item != 0) throw_range("byteswap: length is not a multiple of the item size");
  for (int64_t i = 0; i < n; i += item) std::reverse(p + i, p + i + item);
}

#ifndef _WIN32
void pread_all(int fd, char* p, int64_t n, int64_t pos) {
  int64_t done = 0;
  while (done < n) {
    size_t want = static_cast<size_t>(std::min<int64_t>(n - done, int64_t(1) << 30));
    ssize_t got = ::pread(fd, p + done, want, static_cast<off_t>(pos + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_torch(std::string("read failed: ") + std::strerror(errno));
    }
    if (got == 0) throw_torch("the file is truncated (unexpected end at byte " + std::to_string(pos + done) + ")");
    done += got;
  }
}
#endif
}  // namespace ser
using namespace ser;

// [sync] _ser_tensor_info(h) -> [storage_id, storage_nbytes, storage_offset, shape[], stride[],
// dtype code, device string, requires_grad]. storage_id identifies the StorageImpl (views of one
// storage report the same id). Quantized tensors report their storage like any other (the
// quantizer is read separately). Throws TorchError for sparse and meta tensors.
TN_FN_NOROLL(_ser_tensor_info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = tensor_arg(info, 0, "tensor");
  check_plain(t, "torch.save", /*allow_quantized=*/true);
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
  return ret(info.Env(), ser::saved_storage_bytes(tensor_arg(info, 0, "tensor")));
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

// [sync] _ser_pread(fd, position, bytes_h, start, n): reads n bytes of the open file `fd` (a
// POSIX descriptor from fs.openSync) at `position` straight into a contiguous CPU uint8 tensor at
// byte `start`. Throws TorchError on a read error or an early end of file, RangeError when the
// range is outside the tensor. Not available on Windows (lib/ falls back to fs.readSync there).
TN_FN_NOROLL(_ser_pread) {
#ifdef _WIN32
  throw_torch("_ser_pread is not available on Windows");
#else
  int64_t fd = int_arg(info, 0, "fd");
  int64_t pos = int_arg(info, 1, "position");
  at::Tensor t = tensor_arg(info, 2, "bytes");
  int64_t start = int_arg(info, 3, "start");
  int64_t n = int_arg(info, 4, "n");
  if (t.scalar_type() != at::kByte || !t.device().is_cpu() || !t.is_contiguous())
    throw_type("_ser_pread: expected a contiguous uint8 CPU tensor");
  if (fd < 0 || pos < 0 || start < 0 || n < 0 || start + n > t.numel()) throw_range("_ser_pread: range outside the tensor");
  pread_all(static_cast<int>(fd), static_cast<char*>(t.data_ptr()) + start, n, pos);
  return info.Env().Undefined();
#endif
}

// [sync] _ser_copy(h, byte_offset, u8, to_tensor): copies between a contiguous CPU uint8 tensor
// at byte_offset and the Uint8Array (to_tensor: u8 -> tensor, else tensor -> u8).
// Throws RangeError when the range is outside the tensor.
TN_FN_NOROLL(_ser_copy) {
  Napi::Env env = info.Env();
  at::Tensor t = tensor_arg(info, 0, "bytes");
  int64_t off = int_arg(info, 1, "byte_offset");
  TypedArrayView buf = typed_array_arg(info, 2, "buffer", napi_uint8_array, "a Uint8Array");
  bool to_tensor = bool_arg(info, 3, "to_tensor");
  if (t.scalar_type() != at::kByte || !t.device().is_cpu() || !t.is_contiguous())
    throw_type("_ser_copy: expected a contiguous uint8 CPU tensor");
  size_t len = buf.length;
  void* data = buf.data;
  if (off < 0 || static_cast<uint64_t>(off) + len > static_cast<uint64_t>(t.numel()))
    throw_range("_ser_copy: range outside the tensor");
  if (len == 0) return env.Undefined();
  auto* p = static_cast<uint8_t*>(t.data_ptr()) + off;
  if (to_tensor) std::memcpy(p, data, len);
  else std::memcpy(data, p, len);
  return env.Undefined();
}


// [sync] _ser_view(bytes_h, dtype, storage_offset, size[], stride[], requires_grad) -> handle of a
// tensor of `dtype` over the storage of tensor bytes_h (same StorageImpl, same device).
// storage_offset is in elements of dtype. Throws TorchError when the view does not fit inside the
// storage or a size, stride or offset is negative.
TN_FN(_ser_view) {
  at::Tensor b = tensor_arg(info, 0, "bytes");
  at::ScalarType dt = dtype_arg(info, 1, "dtype");
  int64_t off = int_arg(info, 2, "storage_offset");
  std::vector<int64_t> size = int_list_arg(info, 3, "size");
  std::vector<int64_t> stride = int_list_arg(info, 4, "stride");
  bool rg = bool_arg(info, 5, "requires_grad");
  return ret(info.Env(), view_of(b.storage(), b.options(), dt, off, size, stride, rg));
}

}  // namespace tn

namespace tn {
namespace {
at::ScalarType underlying_int(at::ScalarType q) {
  switch (q) {
    case at::kQInt8: return at::kChar;
    case at::kQUInt8: return at::kByte;
    case at::kQInt32: return at::kInt;
    default: throw_torch(std::string("torch.load: quantized storages of type ") + c10::toString(q) + " are not supported");
  }
}
}  // namespace

// [sync] _ser_qview(bytes_h, dtype, storage_offset, size[], stride[], scale, zero_point) or
// (..., scales_h, zero_points_h, axis) (per-channel when axis is given) -> handle of a quantized tensor over bytes_h's storage (as
// PyTorch's torch._utils._rebuild_qtensor builds one: per-tensor or per-channel affine). Throws
// TorchError when the view does not fit its storage or the quantizer parameters are invalid.
TN_FN(_ser_qview) {
  at::Tensor b = tensor_arg(info, 0, "bytes");
  at::ScalarType dt = dtype_arg(info, 1, "dtype");
  int64_t off = int_arg(info, 2, "storage_offset");
  std::vector<int64_t> size = int_list_arg(info, 3, "size");
  std::vector<int64_t> stride = int_list_arg(info, 4, "stride");
  // Checks the extent against the storage with the same-width integer type.
  ser::view_of(b.storage(), b.options(), underlying_int(dt), off, size, stride, false);
  auto opts = b.options().dtype(dt);
  at::Tensor q;
  if (info.Length() < 8 || is_nullish(info, 7)) {  // handles are numbers too: the axis tells them apart
    q = at::_empty_affine_quantized(size, opts, double_arg(info, 5, "scale"), int_arg(info, 6, "zero_point"));
  } else {
    at::Tensor scales = tensor_arg(info, 5, "scales");
    at::Tensor zps = tensor_arg(info, 6, "zero_points");
    q = at::_empty_per_channel_affine_quantized(size, scales, zps, int_arg(info, 7, "axis"), opts);
  }
  q.set_(b.storage(), off, size, stride);
  return ret(info.Env(), q);
}

}  // namespace tn
