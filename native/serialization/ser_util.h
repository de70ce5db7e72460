// Storage-level helpers shared by the synchronous entry points (serialization.cc) and the async
// jobs (../async/ser_async.cc). All of them may run on a libuv pool thread: they touch no N-API
// and no handle registry (except int_list_of, JS thread only).
#pragma once
#include "../common/core.h"

namespace tn {
namespace ser {
// A tensor of `dt` over `st` after checking that every element it reaches lies inside the storage.
// Throws (throw_torch) for negative or overflowing sizes/strides/offsets.
at::Tensor view_of(const at::Storage& st, const at::TensorOptions& opts, at::ScalarType dt, int64_t off,
                   const std::vector<int64_t>& size, const std::vector<int64_t>& stride, bool rg);
// A JS array of integers (JS thread only). Throws TypeError.
std::vector<int64_t> int_list_of(const Napi::Value& v, const char* name);
// The bytes torch.save writes for t's storage: a 1-D uint8 CPU tensor over all of it (sharing
// memory on CPU; a copy from other devices). Throws TorchError for sparse, meta and storage-less
// tensors.
at::Tensor saved_storage_bytes(const at::Tensor& t);
// Reverses each `item`-byte group of p[0, n).
void swap_bytes(uint8_t* p, int64_t n, int64_t item);
#ifndef _WIN32
// Reads exactly n bytes at pos; throws on error or early end of file.
void pread_all(int fd, char* p, int64_t n, int64_t pos);
#endif
}  // namespace ser
}  // namespace tn
