// torch.distributed over libtorch's c10d: stores, process groups (Gloo; NCCL on CUDA builds) and
// work handles, shared by the collectives (c10d.cc) and DistributedDataParallel (ddp.cc).
#pragma once
#include "../common/core.h"
#include <functional>
#include <memory>
#include <mutex>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>
#include <torch/csrc/distributed/c10d/Types.hpp>

// Which backends: scripts/find-libtorch.js (c10dFor) decides for CMakeLists.txt and binding.gyp
// alike. Gloo: USE_C10D_GLOO when libtorch was built with it; its headers come from libgloo-dev
// (Debian) or the libtorch tree; TN_NO_GLOO: no gloo headers that fit this libtorch (/usr/include's
// fit only Debian's libtorch). NCCL: USE_C10D_NCCL (torch_cuda's) and TN_C10D_NCCL (nccl.h found).
#if defined(USE_C10D_GLOO) && !defined(TN_NO_GLOO) && __has_include(<gloo/algorithm.h>)
#define TN_WITH_GLOO 1
#endif
#if defined(TN_WITH_CUDA) && defined(USE_C10D_NCCL) && defined(TN_C10D_NCCL) && __has_include(<nccl.h>)
#define TN_WITH_NCCL 1
#endif

#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#endif

namespace tn {
namespace dist {

// The class whose virtual collectives Gloo/NCCL implement: ProcessGroup in 1.13, Backend in 2.x.
#if TORCH_VERSION_MAJOR >= 2
using PGBase = c10d::Backend;
#else
using PGBase = c10d::ProcessGroup;
#endif

struct StoreBox {
  c10::intrusive_ptr<c10d::Store> store;
};

struct PGBox {
  c10::intrusive_ptr<PGBase> pg;
  std::string backend;  // "gloo" | "nccl"
  int rank = 0;
  int size = 1;
  std::chrono::milliseconds timeout{1800000};
};

// A pending collective. Owns a reference to every tensor the operation reads or writes, so JS may
// dispose its wrappers while the work runs. `finish` (emulations, copies back) runs once, on the
// thread that first completes a wait, under `mu`.
struct WorkBox {
  c10::intrusive_ptr<c10d::Work> work;
  std::vector<at::Tensor> keep;
  std::function<void()> finish;
  std::mutex mu;
  bool finished = false;
  std::string what;  // the collective's name, for error messages
  // Waits (optionally with a timeout in ms; < 0 means the group's own) and runs `finish`.
  // Throws what the work failed with, prefixed by the collective's name.
  bool wait(int64_t timeout_ms);
};

// Type-tagged JS wrappers around shared C++ objects (a wrong object is a TypeError, not a crash).
Napi::Value wrap_store(napi_env env, std::shared_ptr<StoreBox> s);
Napi::Value wrap_pg(napi_env env, std::shared_ptr<PGBox> pg);
Napi::Value wrap_work(napi_env env, std::shared_ptr<WorkBox> w);
std::shared_ptr<StoreBox> store_arg(const Info& info, size_t i, const char* name);
std::shared_ptr<PGBox> pg_arg(const Info& info, size_t i, const char* name);
std::shared_ptr<WorkBox> work_arg(const Info& info, size_t i, const char* name);

// The c10d backends compiled in ("gloo", "nccl"), as scripts/find-libtorch.js decided them.
std::vector<std::string> compiled_backends();

// Broadcasts `tensors` from `root` in flattened buckets of at most `bucket_bytes` per dtype/device,
// then copies back. [sync] Throws what the collective fails with.
void broadcast_coalesced(PGBox& pg, const std::vector<at::Tensor>& tensors, int root, int64_t bucket_bytes);

}  // namespace dist
}  // namespace tn
