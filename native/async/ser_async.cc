// torch.load_async / torch.save_async: the archive (libtorch's PyTorchStreamReader/Writer through
// ../serialization/container.h) opened, read and written on the libuv thread pool; the pickle stays
// on the JS thread (lib/serialization/async.ts).
// Ownership: a job holds at::Tensor copies of every storage it writes and a persistent reference
// to a Uint8Array it reads, taken on the JS thread when it is queued; the file descriptor belongs
// to the caller, who keeps it open until the callback runs. Tensors a read job makes enter the
// handle registry only in Result(), on the JS thread.
#include "../common/core.h"
#include "../serialization/container.h"
#include "job.h"

namespace tn {

namespace {

// Opens an archive on the pool (ser::open_archive: libtorch's PyTorchStreamReader).
class SerArchiveJob : public Job {
 public:
  SerArchiveJob(Napi::Function cb, std::shared_ptr<ser::ArchiveSource> src, uint64_t limit) : Job(cb), src_(std::move(src)), limit_(limit) {}
  void keep(Napi::TypedArray ta) { ref_ = Napi::Persistent(ta); }

 protected:
  void Run() override { out_ = ser::open_archive(src_, limit_); }
  Napi::Value Result(Napi::Env env) override { return ser::archive_value(env, out_); }

 private:
  std::shared_ptr<ser::ArchiveSource> src_;
  uint64_t limit_;
  Napi::Reference<Napi::TypedArray> ref_;
  ser::Archive out_;
};

class SerReadJob : public Job {
 public:
  SerReadJob(Napi::Function cb, std::shared_ptr<ser::ArchiveSource> src, std::vector<ser::StorageRead> reads)
      : Job(cb), src_(std::move(src)), reads_(std::move(reads)) {}
  void keep(Napi::TypedArray ta) { ref_ = Napi::Persistent(ta); }

 protected:
  void Run() override { out_ = ser::read_storages(*src_, reads_); }
  Napi::Value Result(Napi::Env env) override {
    Napi::Array a = Napi::Array::New(env, out_.size());
    for (size_t k = 0; k < out_.size(); k++) a.Set(static_cast<uint32_t>(k), ret(env, out_[k]));
    out_.clear();
    return a;
  }

 private:
  std::shared_ptr<ser::ArchiveSource> src_;
  Napi::Reference<Napi::TypedArray> ref_;
  std::vector<ser::StorageRead> reads_;
  std::vector<std::vector<at::Tensor>> out_;
};

class SerWriteJob : public Job {
 public:
  SerWriteJob(Napi::Function cb, int fd, std::vector<ser::RecordOut> records) : Job(cb), fd_(fd), records_(std::move(records)) {}

 protected:
  void Run() override {
    ser::write_archive(fd_, nullptr, records_);
    records_.clear();
  }
  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

 private:
  int fd_;
  std::vector<ser::RecordOut> records_;
};

Napi::Function cb_arg(const Info& info, size_t i) {
  if (i >= info.Length() || !info[i].IsFunction()) throw_type("argument 'callback' must be a function");
  return info[i].As<Napi::Function>();
}

// A file descriptor, or a Uint8Array that `keep` holds for the job.
std::shared_ptr<ser::ArchiveSource> source_of(const Info& info, Napi::TypedArray* ta) {
  if (info.Length() > 0 && info[0].IsTypedArray()) {
    Napi::TypedArray t = info[0].As<Napi::TypedArray>();
    if (t.TypedArrayType() != napi_uint8_array) throw_type("argument 'source' must be a file descriptor or a Uint8Array");
    *ta = t;
    Napi::Uint8Array u = t.As<Napi::Uint8Array>();
    return std::make_shared<ser::ArchiveSource>(u.Data(), u.ByteLength());
  }
  int64_t fd = int_arg(info, 0, "source");
  if (fd < 0) throw_range("bad file descriptor");
  return ser::ArchiveSource::of_fd(static_cast<int>(fd));
}

}  // namespace

// [async] _ser_archive_async(source, max_decompressed_bytes, callback(err, archive)): _ser_archive
// on the pool. source is a file descriptor (kept open by the caller until the callback) or a
// Uint8Array (held by the job). Argument errors throw at once; archive errors reach the callback
// as TorchError.
TN_FN_NOROLL(_ser_archive_async) {
  Napi::TypedArray ta;
  auto src = source_of(info, &ta);
  uint64_t limit = ser::limit_of(info[1]);
  auto* job = new SerArchiveJob(cb_arg(info, 2), std::move(src), limit);
  if (!ta.IsEmpty()) job->keep(ta);
  job->Queue();
  return info.Env().Undefined();
}

// [async] _ser_read_async(source, reads, callback(err, handles[][])): _ser_read_storages on the
// pool; source as for _ser_archive_async. Argument errors throw TypeError/RangeError at once; read
// errors, CRC mismatches and views that do not fit reach the callback as TorchError.
TN_FN_NOROLL(_ser_read_async) {
  Napi::TypedArray ta;
  auto src = source_of(info, &ta);
  std::vector<ser::StorageRead> reads = ser::storage_reads_of(info[1]);
  auto* job = new SerReadJob(cb_arg(info, 2), std::move(src), std::move(reads));
  if (!ta.IsEmpty()) job->keep(ta);
  job->Queue();
  return info.Env().Undefined();
}

// [async] _ser_write_async(fd, records, callback(err)): _ser_write_archive to the open file
// descriptor on the pool. The job holds its own references to the records' storages, so the
// handles may be disposed at once. Bad arguments throw TypeError/RangeError; write errors reach the
// callback as TorchError.
TN_FN_NOROLL(_ser_write_async) {
  int64_t fd = int_arg(info, 0, "fd");
  if (fd < 0) throw_range("_ser_write_async: bad file descriptor");
  std::vector<ser::RecordOut> recs = ser::records_of(info[1]);
  auto* job = new SerWriteJob(cb_arg(info, 2), static_cast<int>(fd), std::move(recs));
  job->Queue();
  return info.Env().Undefined();
}

}  // namespace tn
