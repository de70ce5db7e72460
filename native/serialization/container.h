// PyTorch's serialization container (the zip archive torch.save writes) through libtorch's own
// caffe2::serialize::PyTorchStreamReader / PyTorchStreamWriter, shared by the synchronous entry
// points (container.cc) and the async jobs (../async/ser_async.cc).
// Everything here except the JS-thread helpers at the end may run on a libuv pool thread: no
// N-API, no handle registry.
#pragma once
#include "../common/core.h"
#include <caffe2/serialize/read_adapter_interface.h>
#include <memory>
#include <string>
#include <vector>

namespace tn {
namespace ser {

// The bytes of an archive for PyTorchStreamReader: an open file read with pread (the caller keeps
// the descriptor open), or memory the caller keeps alive. While the reader is being constructed it
// also keeps a copy of the central directory miniz reads (the only place record sizes and
// compression methods are found with libtorch 1.13's reader), and refuses to read further once
// that directory declares a compressed record larger than the limit (so libtorch's own reads of
// the version record cannot inflate it either).
class ArchiveSource final : public caffe2::serialize::ReadAdapterInterface {
 public:
  ArchiveSource(int fd, uint64_t size) : fd_(fd), size_(size) {}
  ArchiveSource(const uint8_t* data, uint64_t size) : data_(data), size_(size) {}
  static std::shared_ptr<ArchiveSource> of_fd(int fd);  // throws for a descriptor fstat cannot size
  size_t size() const override { return static_cast<size_t>(size_); }
  size_t read(uint64_t pos, void* buf, size_t n, const char* what = "") const override;
  // Exactly n bytes at pos into buf; throws TorchError on a read error or past the end.
  void read_exact(uint64_t pos, void* buf, uint64_t n) const;

  // Directory capture (open_archive only).
  mutable bool capturing = false;
  mutable bool poisoned = false;
  mutable bool local_seen = false;
  mutable std::string central;
  uint64_t max_decompressed = 0;
  void check_central() const;

 private:
  int fd_ = -1;
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
};

// One record of the archive, as its central directory declares it.
struct Record {
  std::string name;      // relative to the archive's top folder
  uint64_t offset = 0;   // where its data start in the file (PyTorchStreamReader::getRecordOffset)
  uint64_t size = 0;     // uncompressed size
  uint64_t csize = 0;    // size in the file
  uint32_t crc = 0;
  bool compressed = false;
};

struct Archive {
  std::string prefix;  // the top folder, without the slash
  uint64_t version = 0;
  std::vector<Record> records;  // directory order
  std::string pkl;              // data.pkl
  bool has_byteorder = false;
  std::string byteorder;
  bool torchscript = false;     // constants.pkl present (torch.jit.save)
};

// Opens the archive with PyTorchStreamReader (which checks the magic number, the directory, that
// every record lies in one top folder, and the version, with PyTorch's wording), then checks what
// a hostile file could abuse: duplicate record names, names that leave the archive (.., absolute,
// backslashes), records that run past the file, compressed records whose declared size exceeds
// max_decompressed. Reads data.pkl and byteorder. Throws TorchError.
Archive open_archive(const std::shared_ptr<ArchiveSource>& src, uint64_t max_decompressed);

struct ViewSpec {
  at::ScalarType dtype;
  int64_t offset;
  std::vector<int64_t> size, stride;
  bool requires_grad;
};

struct StorageRead {
  int64_t position = 0, nbytes = 0, swap = 1;
  opt<at::Device> device;
  std::vector<ViewSpec> views;
  opt<uint32_t> crc;  // checked when given
  std::string name;   // for messages
};

// Reads each storage into new memory (pread from the file, a copy from memory), checks its CRC-32
// when asked, byte-swaps, moves it to its device and makes its views (each checked to fit).
std::vector<std::vector<at::Tensor>> read_storages(const ArchiveSource& src, const std::vector<StorageRead>& reads);

// A record to write: bytes held here, or a contiguous uint8 CPU tensor written from its memory
// (records_of makes it over all bytes of a tensor's storage).
struct RecordOut {
  std::string name;
  std::string bytes;
  at::Tensor tensor;
};

// Writes the records with PyTorchStreamWriter (archive folder "archive"; records on 64-byte
// boundaries; the version record and, on libtorch 2.x, the serialization id come from the
// writer). To the open file descriptor fd (sequential writes), or, with fd < 0, into *out.
// Throws TorchError on a write error.
void write_archive(int fd, std::string* out, const std::vector<RecordOut>& records);

// JS-thread helpers shared with the async entry points: the read specs of _ser_read_storages, the
// records of _ser_write_archive, _ser_archive's result, and the max_decompressed_bytes argument.
// They throw TypeError/RangeError.
std::vector<StorageRead> storage_reads_of(const Napi::Value& v);
std::vector<RecordOut> records_of(const Napi::Value& v);
Napi::Value archive_value(Napi::Env env, const Archive& a);
uint64_t limit_of(const Napi::Value& v);

}  // namespace ser
}  // namespace tn
