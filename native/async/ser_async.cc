// torch.load_async / torch.save_async: the storage bytes of a torch.save archive, read and written
// on the libuv thread pool (lib/serialization/async.ts does the small zip and pickle records).
// Ownership: a job holds at::Tensor copies of every storage it writes and a persistent reference
// to a Uint8Array it reads, taken on the JS thread when it is queued; the file descriptor belongs
// to the caller, who keeps it open until the callback runs. Tensors a read job makes enter the
// handle registry only in Result(), on the JS thread.
#include "../common/core.h"
#include "../serialization/ser_util.h"
#include "job.h"
#include <array>
#include <cerrno>
#include <cstring>
#ifndef _WIN32
#include <unistd.h>
#endif

namespace tn {

namespace {

uint32_t crc32_update(uint32_t crc, const uint8_t* p, size_t n) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

struct ViewSpec {
  at::ScalarType dtype;
  int64_t offset;
  std::vector<int64_t> size, stride;
  bool requires_grad;
};

struct ReadSpec {
  int64_t position, nbytes, swap;
  opt<at::Device> device;
  std::vector<ViewSpec> views;
  opt<uint32_t> crc;
  std::string name;
};

class SerReadJob : public Job {
 public:
  SerReadJob(Napi::Function cb, int fd, std::vector<ReadSpec> specs) : Job(cb), fd_(fd), specs_(std::move(specs)) {}
  SerReadJob(Napi::Function cb, Napi::TypedArray src, const uint8_t* data, size_t len, std::vector<ReadSpec> specs)
      : Job(cb), data_(data), len_(len), specs_(std::move(specs)) {
    src_ref_ = Napi::Persistent(src);
  }

 protected:
  void Run() override {
    for (const ReadSpec& s : specs_) {
      at::Tensor b = at::empty({s.nbytes}, at::TensorOptions().dtype(at::kByte));
      auto* p = static_cast<uint8_t*>(b.data_ptr());
      if (data_) {
        if (static_cast<uint64_t>(s.position) + static_cast<uint64_t>(s.nbytes) > len_) throw_torch("the data is truncated");
        if (s.nbytes) std::memcpy(p, data_ + s.position, static_cast<size_t>(s.nbytes));
      } else {
#ifdef _WIN32
        throw_torch("reading from a file descriptor is not available on Windows");
#else
        ser::pread_all(fd_, reinterpret_cast<char*>(p), s.nbytes, s.position);
#endif
      }
      if (s.crc && crc32_update(0, p, static_cast<size_t>(s.nbytes)) != *s.crc)
        throw_torch("corrupt archive: CRC-32 mismatch in '" + s.name + "'");
      ser::swap_bytes(p, s.nbytes, s.swap);
      if (s.device && !s.device->is_cpu()) b = b.to(*s.device);
      std::vector<at::Tensor> vs;
      for (const ViewSpec& v : s.views) vs.push_back(ser::view_of(b.storage(), b.options(), v.dtype, v.offset, v.size, v.stride, v.requires_grad));
      out_.push_back(std::move(vs));
    }
  }
  Napi::Value Result(Napi::Env env) override {
    Napi::Array a = Napi::Array::New(env, out_.size());
    for (size_t k = 0; k < out_.size(); k++) a.Set(static_cast<uint32_t>(k), ret(env, out_[k]));
    out_.clear();
    return a;
  }

 private:
  int fd_ = -1;
  const uint8_t* data_ = nullptr;
  size_t len_ = 0;
  Napi::Reference<Napi::TypedArray> src_ref_;
  std::vector<ReadSpec> specs_;
  std::vector<std::vector<at::Tensor>> out_;
};

class SerWriteJob : public Job {
 public:
  SerWriteJob(Napi::Function cb, int fd, std::vector<std::pair<at::Tensor, int64_t>> items)
      : Job(cb), fd_(fd), items_(std::move(items)) {}

 protected:
  void Run() override {
#ifdef _WIN32
    throw_torch("writing to a file descriptor is not available on Windows");
#else
    for (auto& [b, pos] : items_) {
      const auto* p = static_cast<const uint8_t*>(b.data_ptr());
      int64_t n = b.numel();
      crcs_.push_back(crc32_update(0, p, static_cast<size_t>(n)));
      int64_t done = 0;
      while (done < n) {
        size_t want = static_cast<size_t>(std::min<int64_t>(n - done, int64_t(1) << 30));
        ssize_t w = ::pwrite(fd_, p + done, want, static_cast<off_t>(pos + done));
        if (w < 0) {
          if (errno == EINTR) continue;
          throw_torch(std::string("write failed: ") + std::strerror(errno));
        }
        done += w;
      }
      b.reset();
    }
#endif
  }
  Napi::Value Result(Napi::Env env) override {
    Napi::Array a = Napi::Array::New(env, crcs_.size());
    for (size_t k = 0; k < crcs_.size(); k++) a.Set(static_cast<uint32_t>(k), Napi::Number::New(env, crcs_[k]));
    return a;
  }

 private:
  int fd_;
  std::vector<std::pair<at::Tensor, int64_t>> items_;
  std::vector<uint32_t> crcs_;
};

Napi::Function cb_arg(const Info& info, size_t i) {
  if (i >= info.Length() || !info[i].IsFunction()) throw_type("argument 'callback' must be a function");
  return info[i].As<Napi::Function>();
}

int64_t num_at(const Napi::Array& a, uint32_t k, const char* what) {
  Napi::Value v = a.Get(k);
  if (!v.IsNumber()) throw_type(std::string(what) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (d != static_cast<double>(static_cast<int64_t>(d))) throw_type(std::string(what) + " must be an integer");
  return static_cast<int64_t>(d);
}

}  // namespace

// [async] _ser_read_async(source, reads, callback(err, handles[][])): source is a file
// descriptor (kept open by the caller until the callback) or a Uint8Array; each read is
// [position, nbytes, device|null, swap_itemsize, views[], crc|null, record name] with views as in
// _ser_read_views. On the pool: reads each storage into new memory, checks the CRC-32 when given,
// byte-swaps, moves it to device and makes its views. Argument errors throw TypeError/RangeError
// at once; read errors, CRC mismatches and views that do not fit reach the callback as TorchError.
TN_FN_NOROLL(_ser_read_async) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[1].IsArray()) throw_type("argument 'reads' must be an array");
  Napi::Array reads = info[1].As<Napi::Array>();
  std::vector<ReadSpec> specs;
  for (uint32_t k = 0; k < reads.Length(); k++) {
    Napi::Value rv = reads.Get(k);
    if (!rv.IsArray() || rv.As<Napi::Array>().Length() != 7) throw_type("each read must be [position, nbytes, device, swap, views, crc, name]");
    Napi::Array r = rv.As<Napi::Array>();
    ReadSpec s;
    s.position = num_at(r, 0u, "position");
    s.nbytes = num_at(r, 1u, "nbytes");
    if (s.position < 0 || s.nbytes < 0) throw_range("_ser_read_async: negative position or size");
    Napi::Value dv = r.Get(2u);
    if (dv.IsString()) s.device = parse_device(dv.As<Napi::String>().Utf8Value());
    else if (!dv.IsNull() && !dv.IsUndefined()) throw_type("device must be a string or null");
    s.swap = num_at(r, 3u, "swap_itemsize");
    if (!r.Get(4u).IsArray()) throw_type("views must be an array");
    Napi::Array vs = r.Get(4u).As<Napi::Array>();
    for (uint32_t j = 0; j < vs.Length(); j++) {
      Napi::Value sv = vs.Get(j);
      if (!sv.IsArray() || sv.As<Napi::Array>().Length() != 5) throw_type("each view must be [dtype, storage_offset, size, stride, requires_grad]");
      Napi::Array a = sv.As<Napi::Array>();
      int64_t code = num_at(a, 0u, "view dtype");
      if (code < 0 || code >= static_cast<int64_t>(at::ScalarType::NumOptions)) throw_type("bad dtype code in a view");
      s.views.push_back({static_cast<at::ScalarType>(code), num_at(a, 1u, "view storage_offset"), ser::int_list_of(a.Get(2u), "size"),
                         ser::int_list_of(a.Get(3u), "stride"), a.Get(4u).ToBoolean().Value()});
    }
    if (r.Get(5u).IsNumber()) s.crc = static_cast<uint32_t>(num_at(r, 5u, "crc"));
    s.name = r.Get(6u).ToString().Utf8Value();
    specs.push_back(std::move(s));
  }
  Napi::Function cb = cb_arg(info, 2);
  SerReadJob* job;
  if (info[0].IsTypedArray()) {
    Napi::TypedArray ta = info[0].As<Napi::TypedArray>();
    napi_typedarray_type tat;
    size_t len;
    void* data;
    napi_value ab;
    size_t off;
    napi_get_typedarray_info(env, ta, &tat, &len, &data, &ab, &off);
    if (tat != napi_uint8_array) throw_type("argument 'source' must be a file descriptor or a Uint8Array");
    job = new SerReadJob(cb, ta, static_cast<const uint8_t*>(data), len, std::move(specs));
  } else {
    int64_t fd = int_arg(info, 0, "source");
    if (fd < 0) throw_range("_ser_read_async: bad file descriptor");
    job = new SerReadJob(cb, static_cast<int>(fd), std::move(specs));
  }
  job->Queue();
  return env.Undefined();
}

// [async] _ser_write_async(fd, writes, callback(err, crcs[])): each write is [bytes_h, position]
// with bytes_h a contiguous uint8 CPU tensor (_ser_storage_bytes); writes its bytes at position
// with pwrite on the pool and reports their CRC-32s in order. The job holds its own references,
// so the handles may be disposed at once. Bad arguments throw TypeError/RangeError; write errors
// reach the callback as TorchError.
TN_FN_NOROLL(_ser_write_async) {
  int64_t fd = int_arg(info, 0, "fd");
  if (fd < 0) throw_range("_ser_write_async: bad file descriptor");
  if (info.Length() < 2 || !info[1].IsArray()) throw_type("argument 'writes' must be an array");
  Napi::Array ws = info[1].As<Napi::Array>();
  std::vector<std::pair<at::Tensor, int64_t>> items;
  for (uint32_t k = 0; k < ws.Length(); k++) {
    Napi::Value wv = ws.Get(k);
    if (!wv.IsArray() || wv.As<Napi::Array>().Length() != 2) throw_type("each write must be [bytes, position]");
    Napi::Array w = wv.As<Napi::Array>();
    at::Tensor b = get(static_cast<int32_t>(num_at(w, 0u, "bytes")));
    if (b.scalar_type() != at::kByte || !b.device().is_cpu() || !b.is_contiguous())
      throw_type("_ser_write_async: expected contiguous uint8 CPU tensors");
    int64_t pos = num_at(w, 1u, "position");
    if (pos < 0) throw_range("_ser_write_async: negative position");
    items.emplace_back(b, pos);
  }
  Napi::Function cb = cb_arg(info, 2);
  auto* job = new SerWriteJob(cb, static_cast<int>(fd), std::move(items));
  job->Queue();
  return info.Env().Undefined();
}

}  // namespace tn
