// The container of torch.save files, on libtorch's own PyTorchStreamReader / PyTorchStreamWriter
// (caffe2/serialize/inline_container.h, the reader and writer Python's torch.save and torch.load
// use). lib/serialization/ keeps the pickle; this file opens archives, reads their small records
// and storages, and writes archives.
// Invariants:
// - Every size a file declares is checked before memory is allocated for it: records must lie
//   inside the file, a compressed record may not declare more than the caller's limit (checked
//   while the reader is constructed, before libtorch reads any record), storages are read with
//   pread at the offsets the reader reports, into memory of the size the pickle declares after it
//   was compared with the record's size (lib/serialization/load.ts).
// - No JS object points into tensor memory; the Uint8Array a memory source reads from is kept
//   alive by the caller (sync) or by the job (async) while it is read.
#include "container.h"
#include "ser_util.h"
#include <caffe2/serialize/inline_container.h>
#include <zlib.h>
#include <cerrno>
#include <cstring>
#include <unordered_set>
#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace tn {
namespace ser {

namespace {

constexpr uint32_t kSigCentral = 0x02014b50;
constexpr uint32_t kSigLocal = 0x04034b50;
constexpr uint32_t kU32Max = 0xffffffffu;

uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t le32(const uint8_t* p) { return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24); }
uint64_t le64(const uint8_t* p) { return static_cast<uint64_t>(le32(p)) | (static_cast<uint64_t>(le32(p + 4)) << 32); }

struct DirEntry {
  std::string name;
  uint16_t method;
  uint32_t crc;
  uint64_t csize, usize, local;
};

// The entries of the central directory miniz read (the bytes captured by ArchiveSource). Returns
// false when the bytes are not a well-formed directory.
bool parse_central(const std::string& cd, std::vector<DirEntry>& out) {
  const auto* b = reinterpret_cast<const uint8_t*>(cd.data());
  size_t p = 0, n = cd.size();
  while (p + 46 <= n) {
    if (le32(b + p) != kSigCentral) return false;
    DirEntry e;
    e.method = le16(b + p + 10);
    e.crc = le32(b + p + 16);
    e.csize = le32(b + p + 20);
    e.usize = le32(b + p + 24);
    size_t nlen = le16(b + p + 28), xlen = le16(b + p + 30), clen = le16(b + p + 32);
    e.local = le32(b + p + 42);
    if (p + 46 + nlen + xlen + clen > n) return false;
    e.name.assign(cd, p + 46, nlen);
    // zip64 extended information: the saturated fields, in this order.
    size_t x = p + 46 + nlen, xend = x + xlen;
    while (x + 4 <= xend) {
      uint16_t id = le16(b + x), len = le16(b + x + 2);
      if (x + 4 + len > xend) return false;
      if (id == 0x0001) {
        size_t q = x + 4, qend = q + len;
        for (uint64_t* f : {&e.usize, &e.csize, &e.local}) {
          if (*f != kU32Max) continue;
          if (q + 8 > qend) return false;
          *f = le64(b + q);
          q += 8;
        }
      }
      x += 4 + len;
    }
    out.push_back(std::move(e));
    p += 46 + nlen + xlen + clen;
  }
  return p == n;
}

// A record name that stays inside the archive folder: no "..", ".", or empty segments, no
// absolute path, no backslash or NUL.
bool name_inside(const std::string& rel) {
  if (rel.empty() || rel.front() == '/' || rel.find('\\') != std::string::npos || rel.find('\0') != std::string::npos) return false;
  size_t s = 0;
  while (s <= rel.size()) {
    size_t e = rel.find('/', s);
    if (e == std::string::npos) e = rel.size();
    std::string seg = rel.substr(s, e - s);
    if (seg.empty() || seg == "." || seg == "..") return false;
    s = e + 1;
  }
  return true;
}

uint32_t crc_of(const uint8_t* p, uint64_t n) {
  uLong c = ::crc32(0L, Z_NULL, 0);
  for (uint64_t off = 0; off < n; off += uint64_t(1) << 30) c = ::crc32(c, p + off, static_cast<uInt>(std::min<uint64_t>(n - off, uint64_t(1) << 30)));
  return static_cast<uint32_t>(c);
}

// libtorch's message without the enforce location and the request for a better message.
std::string clean(std::string m) {
  if (m.rfind("[enforce fail at ", 0) == 0) {
    size_t e = m.find("] ");
    if (e != std::string::npos) m = m.substr(e + 2);
    if (m.rfind(". ", 0) == 0) m = m.substr(2);
  }
  size_t q = m.find("  (Could this error message be improved?");
  if (q != std::string::npos) m = m.substr(0, q);
  return m;
}

// Runs a call into libtorch's reader, giving its errors clean messages.
template <class F>
auto reader_call(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const c10::Error& e) {
    throw_torch(clean(e.what_without_backtrace()));
  }
}

std::string human(uint64_t n) { return std::to_string(n) + " bytes"; }

}  // namespace

std::shared_ptr<ArchiveSource> ArchiveSource::of_fd(int fd) {
#ifdef _WIN32
  (void)fd;
  throw_torch("reading an archive from a file descriptor is not available on Windows");
#else
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0) throw_torch(std::string("cannot stat the file: ") + std::strerror(errno));
  return std::make_shared<ArchiveSource>(fd, static_cast<uint64_t>(st.st_size));
#endif
}

void ArchiveSource::check_central() const {
  std::vector<DirEntry> es;
  if (!parse_central(central, es)) return;  // open_archive reports it
  for (const DirEntry& e : es)
    if (e.method != 0 && e.usize > max_decompressed) poisoned = true;
}

size_t ArchiveSource::read(uint64_t pos, void* buf, size_t n, const char* /*what*/) const {
  if (poisoned || pos >= size_) return 0;
  if (n > size_ - pos) n = static_cast<size_t>(size_ - pos);
  size_t got = 0;
  if (data_) {
    std::memcpy(buf, data_ + pos, n);
    got = n;
  } else {
#ifndef _WIN32
    while (got < n) {
      ssize_t r = ::pread(fd_, static_cast<char*>(buf) + got, std::min<size_t>(n - got, size_t(1) << 30), static_cast<off_t>(pos + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      got += static_cast<size_t>(r);
    }
#endif
  }
  if (capturing && !local_seen) {
    const auto* b = static_cast<const uint8_t*>(buf);
    if (got == 30 && le32(b) == kSigLocal) {
      local_seen = true;  // libtorch reads records from here on: the directory was read before
    } else if (got >= 46 && le32(b) == kSigCentral) {
      central.assign(static_cast<const char*>(buf), got);
      check_central();
    }
  }
  return got;
}

void ArchiveSource::read_exact(uint64_t pos, void* buf, uint64_t n) const {
  if (pos > size_ || n > size_ - pos)
    throw_torch("the file is truncated (needs bytes up to " + std::to_string(pos + n) + ", has " + std::to_string(size_) + ")");
  if (n == 0) return;
  if (data_) {
    std::memcpy(buf, data_ + pos, static_cast<size_t>(n));
    return;
  }
#ifdef _WIN32
  throw_torch("reading from a file descriptor is not available on Windows");
#else
  pread_all(fd_, static_cast<char*>(buf), static_cast<int64_t>(n), static_cast<int64_t>(pos));
#endif
}

Archive open_archive(const std::shared_ptr<ArchiveSource>& src, uint64_t max_decompressed) {
  src->max_decompressed = max_decompressed;
  src->capturing = true;
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> r;
  try {
    r = std::make_unique<caffe2::serialize::PyTorchStreamReader>(std::static_pointer_cast<caffe2::serialize::ReadAdapterInterface>(src));
  } catch (const c10::Error& e) {
    src->capturing = false;
    if (!src->poisoned) throw_torch(clean(e.what_without_backtrace()));
  }
  src->capturing = false;
  std::vector<DirEntry> dir;
  if (!parse_central(src->central, dir) || dir.empty()) throw_torch("corrupt archive: its central directory cannot be read");
  for (const DirEntry& e : dir) {
    if (e.method != 0 && e.usize > max_decompressed)
      throw_torch("record '" + e.name + "' is compressed and would inflate to " + human(e.usize) + ", more than max_decompressed_bytes (" +
                  human(max_decompressed) + "); pass a larger max_decompressed_bytes to torch.load if the file is trusted");
  }
  if (src->poisoned || !r) throw_torch("corrupt archive: the reader stopped early");
  // PyTorch's own check that every record lies in one top folder, with its wording.
  std::vector<std::string> names = reader_call([&] { return r->getAllRecords(); });
  if (names.size() != dir.size()) throw_torch("corrupt archive: the central directory lists " + std::to_string(dir.size()) + " records, the reader " + std::to_string(names.size()));
  Archive a;
  a.prefix = dir[0].name.substr(0, dir[0].name.find('/'));
  a.version = r->version();
  const std::string pre = a.prefix + "/";
  std::unordered_set<std::string> seen;
  for (const DirEntry& e : dir) {
    if (e.name.compare(0, pre.size(), pre) != 0) throw_torch("file in archive is not in a subdirectory " + pre + ": " + e.name);
    std::string rel = e.name.substr(pre.size());
    if (!name_inside(rel)) throw_torch("refusing record '" + e.name + "': its name leads outside the archive folder");
    if (!seen.insert(rel).second) throw_torch("corrupt archive: duplicate record '" + e.name + "'");
    if (e.method != 0 && e.method != 8)
      throw_torch("record '" + e.name + "' uses compression method " + std::to_string(e.method) + " (only stored and deflated records are read)");
    if (e.method == 0 && e.csize != e.usize) throw_torch("corrupt archive: stored record '" + e.name + "' declares " + human(e.usize) + " but holds " + human(e.csize));
    Record rec;
    rec.name = rel;
    rec.offset = reader_call([&] { return r->getRecordOffset(rel); });
    rec.size = e.usize;
    rec.csize = e.csize;
    rec.crc = e.crc;
    rec.compressed = e.method != 0;
    if (rec.offset > src->size() || rec.csize > src->size() - rec.offset)
      throw_torch("the file is truncated: record '" + e.name + "' needs bytes up to " + std::to_string(rec.offset + rec.csize) + ", the file has " + std::to_string(src->size()));
    a.records.push_back(std::move(rec));
  }
  a.torchscript = seen.count("constants.pkl") > 0;
  if (a.torchscript) return a;
  // The small records, with their CRC-32 checked (libtorch's reader is built without miniz's
  // CRC checks; a damaged pickle should not reach the unpickler).
  auto small = [&](const std::string& name, std::string& out) {
    at::DataPtr d;
    size_t n = 0;
    std::tie(d, n) = reader_call([&] { return r->getRecord(name); });
    out.assign(static_cast<const char*>(d.get()), n);
    for (const Record& rec : a.records)
      if (rec.name == name && crc_of(reinterpret_cast<const uint8_t*>(out.data()), out.size()) != rec.crc)
        throw_torch("corrupt archive: CRC-32 mismatch in '" + pre + name + "'");
  };
  if (seen.count("data.pkl")) small("data.pkl", a.pkl);
  if (seen.count("byteorder")) {
    a.has_byteorder = true;
    small("byteorder", a.byteorder);
  }
  return a;
}

std::vector<std::vector<at::Tensor>> read_storages(const ArchiveSource& src, const std::vector<StorageRead>& reads) {
  std::vector<std::vector<at::Tensor>> out;
  out.reserve(reads.size());
  for (const StorageRead& s : reads) {
    at::Tensor b = at::empty({s.nbytes}, at::TensorOptions().dtype(at::kByte));
    auto* p = static_cast<uint8_t*>(b.data_ptr());
    if (s.position < 0 || s.nbytes < 0) throw_torch("negative position or size");
    src.read_exact(static_cast<uint64_t>(s.position), p, static_cast<uint64_t>(s.nbytes));
    if (s.crc && crc_of(p, static_cast<uint64_t>(s.nbytes)) != *s.crc) throw_torch("corrupt archive: CRC-32 mismatch in '" + s.name + "'");
    swap_bytes(p, s.nbytes, s.swap);
    if (s.device && !s.device->is_cpu()) b = b.to(*s.device);
    std::vector<at::Tensor> vs;
    vs.reserve(s.views.size());
    for (const ViewSpec& v : s.views) vs.push_back(view_of(b.storage(), b.options(), v.dtype, v.offset, v.size, v.stride, v.requires_grad));
    out.push_back(std::move(vs));
  }
  return out;
}

void write_archive(int fd, std::string* out, const std::vector<RecordOut>& records) {
  std::string err;
  // miniz writes sequentially through this; a failed write is remembered and the rest skipped, so
  // that the writer itself never fails (its destructor finalizes an unfinished archive).
  auto sink = [&](const void* p, size_t n) -> size_t {
    if (!err.empty() || n == 0) return n;
    if (out) {
      out->append(static_cast<const char*>(p), n);
      return n;
    }
#ifdef _WIN32
    err = "writing to a file descriptor is not available on Windows";
#else
    size_t done = 0;
    while (done < n) {
      ssize_t w = ::write(fd, static_cast<const char*>(p) + done, std::min<size_t>(n - done, size_t(1) << 30));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        err = std::string("write failed: ") + std::strerror(w < 0 ? errno : EIO);
        break;
      }
      done += static_cast<size_t>(w);
    }
#endif
    return n;
  };
  {
    caffe2::serialize::PyTorchStreamWriter w(sink);
    for (const RecordOut& rec : records) {
      if (rec.tensor.defined()) w.writeRecord(rec.name, rec.tensor.data_ptr(), static_cast<size_t>(rec.tensor.numel()));
      else w.writeRecord(rec.name, rec.bytes.data(), rec.bytes.size());
      if (!err.empty()) break;
    }
    w.writeEndOfFile();
  }
  if (!err.empty()) throw_torch(err);
}

// ---- JS-thread helpers (container.h) ----

std::vector<StorageRead> storage_reads_of(const Napi::Value& v) {
  if (!v.IsArray()) throw_type("argument 'reads' must be an array");
  Napi::Array reads = v.As<Napi::Array>();
  auto num_at = [](const Napi::Array& a, uint32_t k, const char* what) -> int64_t {
    Napi::Value x = a.Get(k);
    if (!x.IsNumber()) throw_type(std::string(what) + " must be a number");
    double d = x.As<Napi::Number>().DoubleValue();
    if (!(d >= -9.2e18 && d <= 9.2e18) || d != static_cast<double>(static_cast<int64_t>(d))) throw_type(std::string(what) + " must be an integer");
    return static_cast<int64_t>(d);
  };
  std::vector<StorageRead> specs;
  for (uint32_t k = 0; k < reads.Length(); k++) {
    Napi::Value rv = reads.Get(k);
    if (!rv.IsArray() || rv.As<Napi::Array>().Length() != 7) throw_type("each read must be [position, nbytes, device, swap, views, crc, name]");
    Napi::Array r = rv.As<Napi::Array>();
    StorageRead s;
    s.position = num_at(r, 0u, "position");
    s.nbytes = num_at(r, 1u, "nbytes");
    if (s.position < 0 || s.nbytes < 0) throw_range("negative position or size");
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
      s.views.push_back({static_cast<at::ScalarType>(code), num_at(a, 1u, "view storage_offset"), int_list_of(a.Get(2u), "size"),
                         int_list_of(a.Get(3u), "stride"), a.Get(4u).ToBoolean().Value()});
    }
    if (r.Get(5u).IsNumber()) s.crc = static_cast<uint32_t>(num_at(r, 5u, "crc"));
    s.name = r.Get(6u).ToString().Utf8Value();
    specs.push_back(std::move(s));
  }
  return specs;
}

std::vector<RecordOut> records_of(const Napi::Value& v) {
  if (!v.IsArray()) throw_type("argument 'records' must be an array");
  Napi::Array rs = v.As<Napi::Array>();
  std::vector<RecordOut> out;
  for (uint32_t k = 0; k < rs.Length(); k++) {
    Napi::Value rv = rs.Get(k);
    if (!rv.IsArray() || rv.As<Napi::Array>().Length() != 2 || !rv.As<Napi::Array>().Get(0u).IsString())
      throw_type("each record must be [name, Uint8Array or tensor]");
    Napi::Array r = rv.As<Napi::Array>();
    RecordOut rec;
    rec.name = r.Get(0u).As<Napi::String>().Utf8Value();
    Napi::Value d = r.Get(1u);
    if (d.IsTypedArray() && d.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
      Napi::Uint8Array u = d.As<Napi::Uint8Array>();
      rec.bytes.assign(reinterpret_cast<const char*>(u.Data()), u.ByteLength());
    } else if (d.IsNumber()) {
      rec.tensor = saved_storage_bytes(tensor_value(d, 1, "records"));
    } else {
      throw_type("each record must be [name, Uint8Array or tensor]");
    }
    out.push_back(std::move(rec));
  }
  return out;
}

Napi::Value archive_value(Napi::Env env, const Archive& a) {
  Napi::Array recs = Napi::Array::New(env, a.records.size());
  for (size_t i = 0; i < a.records.size(); i++) {
    const Record& r = a.records[i];
    Napi::Array x = Napi::Array::New(env, 6);
    x.Set(0u, Napi::String::New(env, r.name));
    x.Set(1u, Napi::Number::New(env, static_cast<double>(r.offset)));
    x.Set(2u, Napi::Number::New(env, static_cast<double>(r.size)));
    x.Set(3u, Napi::Number::New(env, static_cast<double>(r.csize)));
    x.Set(4u, Napi::Number::New(env, r.crc));
    x.Set(5u, Napi::Boolean::New(env, r.compressed));
    recs.Set(static_cast<uint32_t>(i), x);
  }
  Napi::Array out = Napi::Array::New(env, 6);
  out.Set(0u, Napi::String::New(env, a.prefix));
  out.Set(1u, Napi::Number::New(env, static_cast<double>(a.version)));
  out.Set(2u, recs);
  out.Set(3u, Napi::Buffer<char>::Copy(env, a.pkl.data(), a.pkl.size()));
  out.Set(4u, a.has_byteorder ? Napi::Value(Napi::String::New(env, a.byteorder)) : env.Null());
  out.Set(5u, Napi::Boolean::New(env, a.torchscript));
  return out;
}

uint64_t limit_of(const Napi::Value& v) {
  if (!v.IsNumber()) throw_type("argument 'max_decompressed_bytes' must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0)) throw_range("max_decompressed_bytes must be >= 0");
  return d >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(d);
}

}  // namespace ser

namespace {
// A file descriptor or a Uint8Array (kept alive by the caller for the call).
std::shared_ptr<ser::ArchiveSource> source_arg(const Info& info, size_t i) {
  if (i < info.Length() && info[i].IsTypedArray()) {
    Napi::TypedArray ta = info[i].As<Napi::TypedArray>();
    if (ta.TypedArrayType() != napi_uint8_array) throw_type("argument 'source' must be a file descriptor or a Uint8Array");
    Napi::Uint8Array u = ta.As<Napi::Uint8Array>();
    return std::make_shared<ser::ArchiveSource>(u.Data(), u.ByteLength());
  }
  int64_t fd = int_arg(info, i, "source");
  if (fd < 0) throw_range("bad file descriptor");
  return ser::ArchiveSource::of_fd(static_cast<int>(fd));
}
}  // namespace

// [sync] _ser_archive(source, max_decompressed_bytes) -> [prefix, version, records, pkl, byteorder,
// torchscript]: opens the archive in source (a file descriptor or a Uint8Array) with libtorch's
// PyTorchStreamReader. records: [name (relative to prefix), data_offset, size, stored_size, crc32,
// compressed] in directory order; pkl: data.pkl's bytes (empty when absent); byteorder: the
// byteorder record or null. Throws TorchError for every malformed or refused archive (see
// ser::open_archive), TypeError/RangeError for bad arguments.
TN_FN_NOROLL(_ser_archive) {
  auto src = source_arg(info, 0);
  uint64_t limit = ser::limit_of(info[1]);
  return ser::archive_value(info.Env(), ser::open_archive(src, limit));
}

// [sync] _ser_read_storages(source, reads) -> handles[][]: reads each storage of the archive in
// source (a file descriptor, pread; or a Uint8Array); each read is [position, nbytes, device|null,
// swap_itemsize, views[], crc|null, record name] with views [dtype, storage_offset, size[], stride[],
// requires_grad]. Returns the views of each storage (storages never enter the registry). Throws
// TorchError (short read, CRC mismatch, a view that does not fit), TypeError/RangeError (arguments).
TN_FN(_ser_read_storages) {
  auto src = source_arg(info, 0);
  std::vector<ser::StorageRead> reads = ser::storage_reads_of(info[1]);
  auto out = ser::read_storages(*src, reads);
  Napi::Env env = info.Env();
  Napi::Array a = Napi::Array::New(env, out.size());
  for (size_t k = 0; k < out.size(); k++) a.Set(static_cast<uint32_t>(k), ret(env, out[k]));
  return a;
}

// [sync] _ser_write_archive(fd|null, records) -> undefined | Buffer: writes records [name,
// Uint8Array | tensor handle] (a tensor's record is all bytes of its storage) with libtorch's PyTorchStreamWriter (folder "archive", data on
// 64-byte boundaries, then the writer's own version record) to the open file descriptor, or into
// a new Buffer when fd is null. Throws TorchError on a write error or a duplicate name, TypeError
// for bad records.
TN_FN_NOROLL(_ser_write_archive) {
  std::vector<ser::RecordOut> recs = ser::records_of(info[1]);
  if (info[0].IsNull() || info[0].IsUndefined()) {
    std::string out;
    ser::write_archive(-1, &out, recs);
    return Napi::Buffer<char>::Copy(info.Env(), out.data(), out.size());
  }
  int64_t fd = int_arg(info, 0, "fd");
  if (fd < 0) throw_range("bad file descriptor");
  ser::write_archive(static_cast<int>(fd), nullptr, recs);
  return info.Env().Undefined();
}

}  // namespace tn
