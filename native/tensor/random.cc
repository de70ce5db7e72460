// torch.Generator objects and the default generators. JS Generators are NativeObjects holding an
// id in an ObjectTable (native/common/objects.h); id 0 is the default CPU generator, resolved on
// each use. Generator state is guarded by the generator's own mutex, as PyTorch's Python bindings do.
// The default CPU generator is per JS thread: the main thread uses libtorch's own default
// generator (so its numbers are Python's); every worker_thread has its own, created with libtorch's
// default seed, which id 0 and random ops given no generator resolve to there. Random ops on CUDA
// tensors use libtorch's process-wide ones. Ops that take no generator in ATen (dropout, rand_like,
// the RNN layer stacks) have twins in thread_random.cc that a worker thread calls instead.
#include "random.h"
#include "../common/state.h"
#include "../common/objects.h"
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <mutex>
#include <sys/syscall.h>
#include <unistd.h>

namespace tn {

namespace {
ObjectTable<at::Generator>& table() {
  static auto* t = new ObjectTable<at::Generator>(ObjKind::Generator, "torch.Generator");  // process lifetime
  return *t;
}

// Node's main JS thread is the process's main thread (tid == pid on Linux).
bool on_main_thread() {
  thread_local int main = -1;
  if (main < 0) main = getpid() == static_cast<pid_t>(syscall(SYS_gettid)) ? 1 : 0;
  return main == 1;
}

// This worker thread's default CPU generator (released when the thread ends).
at::Generator thread_default() {
  thread_local at::Generator g = at::make_generator<at::CPUGeneratorImpl>(c10::default_rng_seed_val);
  return g;
}

at::Generator default_cpu() { return on_main_thread() ? at::detail::getDefaultCPUGenerator() : thread_default(); }

// Whether a call's arguments name a CUDA tensor (a live handle, also inside a tensor list) or a
// CUDA device: such an op needs libtorch's CUDA default generator, never the thread's CPU one. An
// integer argument that happens to equal a CUDA tensor's handle only sends the op to libtorch's
// process-wide default, which is always valid.
bool names_cuda(const Info& info) {
  Registry& r = registry();
  auto is_cuda_handle = [&](const Napi::Value& v) {
    if (!v.IsNumber()) return false;
    double d = v.As<Napi::Number>().DoubleValue();
    if (d < 0 || d != std::trunc(d) || d >= static_cast<double>(r.slots.size())) return false;
    const Slot& sl = r.slots[static_cast<size_t>(d)];
    return sl.arena != 0 && sl.t.defined() && sl.t.is_cuda();
  };
  for (size_t k = 0; k < info.Length(); k++) {
    Napi::Value v = info[k];
    if (v.IsString()) {
      if (v.As<Napi::String>().Utf8Value().rfind("cuda", 0) == 0) return true;
    } else if (v.IsArray()) {
      Napi::Array a = v.As<Napi::Array>();
      for (uint32_t j = 0; j < a.Length(); j++)
        if (is_cuda_handle(a.Get(j))) return true;
    } else if (is_cuda_handle(v)) {
      return true;
    }
  }
  return false;
}

at::Generator lookup(int64_t id, const char* name) {
  if (id == 0) return default_cpu();
  if (!table().is_kind(id)) throw_type(std::string("argument '") + name + "' must be torch.Generator");
  return *table().get(id);
}

int64_t id_of(const Info& info, size_t i, const char* name) {
  Napi::Value v = info[i];
  if (v.IsObject() && !v.IsArray()) v = v.As<Napi::Object>().Get("_id");
  if (!v.IsNumber()) throw_type(std::string("argument '") + name + "' must be torch.Generator");
  double d = v.As<Napi::Number>().DoubleValue();
  if (d != std::trunc(d) || d < 0) throw_type(std::string("argument '") + name + "' must be torch.Generator");
  return static_cast<int64_t>(d);
}

// Seeds cross as a non-negative BigInt (lib/random.ts wraps negative seeds modulo 2^64 as PyTorch
// does) or a non-negative safe integer.
uint64_t seed_arg(const Info& info, size_t i) {
  if (i < info.Length() && info[i].IsBigInt()) {
    bool lossless = true;
    uint64_t s = info[i].As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) throw_range("seed must be in [-2**63, 2**64)");
    return s;
  }
  int64_t s = int_arg(info, i, "seed");
  if (s < 0) throw_range("seed must be non-negative here");
  return static_cast<uint64_t>(s);
}

Napi::Value seed_ret(napi_env env, uint64_t s) {
  if (s <= (uint64_t(1) << 53)) return Napi::Number::New(env, static_cast<double>(s));
  return Napi::BigInt::New(env, s);
}

void seed_cuda_all(uint64_t seed) {
  if (!at::hasCUDA()) return;
  auto& hooks = at::detail::getCUDAHooks();
  int n = hooks.getNumGPUs();
  for (int d = 0; d < n; d++) {
    // Context::defaultGenerator is the same spelling in libtorch 1.13 and 2.x.
    at::Generator g = at::globalContext().defaultGenerator(c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(d)));
    std::lock_guard<std::mutex> lk(g.mutex());
    g.set_current_seed(seed);
  }
}
}  // namespace

opt<at::Generator> default_generator_for(const Info& info) {
  if (on_main_thread() || (at::hasCUDA() && names_cuda(info))) return c10::nullopt;
  return thread_default();
}

opt<at::Generator> opt_generator_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return default_generator_for(info);
  return lookup(id_of(info, i, name), name);
}

at::Generator generator_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) throw_type(std::string("argument '") + name + "' must be torch.Generator, not None");
  return lookup(id_of(info, i, name), name);
}

// [sync] _generator_new(device: string) -> id. TorchError for devices other than the CPU.
TN_FN_NOROLL(_generator_new) {
  at::Device dev = device_arg(info, 0, "device");
  if (!dev.is_cpu())
    throw_torch("torch-node: torch.Generator(device='" + dev.str() +
                "') is not supported yet; the default CUDA generators are seeded by torch.manual_seed()");
  at::Generator g = at::make_generator<at::CPUGeneratorImpl>(c10::default_rng_seed_val);
  int64_t id = table().put(std::make_shared<at::Generator>(std::move(g)));
  return Napi::Number::New(info.Env(), static_cast<double>(id));
}

// [sync] _generator_free(id): drops the table's reference (idempotent; id 0 is never freed).
TN_FN_NOROLL(_generator_free) {
  int64_t id = int_arg(info, 0, "id");
  if (id != 0) table().free(id);
  return info.Env().Undefined();
}

// [sync] _generator_manual_seed(id, seed). For id 0 (torch.manual_seed) on the main thread also
// seeds every CUDA device's default generator, as torch.manual_seed does; a worker thread seeds its
// own CPU generator only (the process-wide CUDA generators belong to the main thread's program).
TN_FN_NOROLL(_generator_manual_seed) {
  int64_t id = id_of(info, 0, "generator");
  uint64_t seed = seed_arg(info, 1);
  at::Generator g = lookup(id, "generator");
  {
    std::lock_guard<std::mutex> lk(g.mutex());
    g.set_current_seed(seed);
  }
  if (id == 0 && on_main_thread() && !is_nullish(info, 2) && bool_arg(info, 2, "all_devices")) seed_cuda_all(seed);
  return info.Env().Undefined();
}

// [sync] _generator_seed(id, all_devices) -> a new non-deterministic seed, set on the generator
// (and, for torch.seed() on the main thread, on the CUDA default generators).
TN_FN_NOROLL(_generator_seed) {
  int64_t id = id_of(info, 0, "generator");
  at::Generator g = lookup(id, "generator");
  uint64_t s;
  {
    std::lock_guard<std::mutex> lk(g.mutex());
    s = g.seed();
  }
  if (id == 0 && on_main_thread() && !is_nullish(info, 1) && bool_arg(info, 1, "all_devices")) seed_cuda_all(s);
  return seed_ret(info.Env(), s);
}

// [sync] _generator_initial_seed(id) -> number (or bigint above 2**53)
TN_FN_NOROLL(_generator_initial_seed) {
  at::Generator g = lookup(id_of(info, 0, "generator"), "generator");
  std::lock_guard<std::mutex> lk(g.mutex());
  return seed_ret(info.Env(), g.current_seed());
}

// [sync] _generator_get_state(id) -> handle of a uint8 tensor (a copy of the state).
TN_FN(_generator_get_state) {
  at::Generator g = lookup(id_of(info, 0, "generator"), "generator");
  std::lock_guard<std::mutex> lk(g.mutex());
  return ret(info.Env(), g.get_state());
}

// [sync] _generator_set_state(id, handle). TorchError for a tensor that is not a valid state.
TN_FN_NOROLL(_generator_set_state) {
  at::Generator g = lookup(id_of(info, 0, "generator"), "generator");
  at::Tensor st = tensor_arg(info, 1, "new_state");
  std::lock_guard<std::mutex> lk(g.mutex());
  g.set_state(st);
  return info.Env().Undefined();
}

// [sync] _generator_device(id) -> device string
TN_FN_NOROLL(_generator_device) {
  at::Generator g = lookup(id_of(info, 0, "generator"), "generator");
  return Napi::String::New(info.Env(), g.device().str());
}

}  // namespace tn
