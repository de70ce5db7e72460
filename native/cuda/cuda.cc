// torch.cuda, torch.backends.cudnn, autocast state and the AMP ops behind GradScaler.
// Builds without CUDA (TN_WITH_CUDA unset) answer as PyTorch without CUDA does: no devices, and
// "Torch not compiled with CUDA enabled" for what needs one. CUDA builds first check, as PyTorch's
// CUDA initialization does, that a driver and a device are there: c10's own "Found no NVIDIA
// driver on your system. ...", "The NVIDIA driver on your system is too old ..." or "No CUDA GPUs
// are available", not the CUDA runtime's "CUDA driver version is insufficient ..." of the first call. Autocast state is thread-local in
// libtorch: it applies to ops run on the JS thread (the sync entry points).
#include "../common/core.h"
#include <ATen/autocast_mode.h>
#include <cmath>
#include <ATen/detail/CUDAHooksInterface.h>
#ifdef TN_WITH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAGeneratorImpl.h>
#endif

// libtorch 2.4 replaced the per-device autocast functions with ones taking a DeviceType.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define TN_AUTOCAST_BY_DEVICE 1
#endif

namespace tn {

namespace {
[[noreturn]] void no_cuda() { throw_torch("Torch not compiled with CUDA enabled"); }

#ifdef TN_WITH_CUDA
// What torch.cuda's lazy initialization checks before any device call (CUDAHooks::init): throws
// c10's message when there is no driver, an old one, or no device.
void ensure_device() { c10::cuda::device_count_ensure_non_zero(); }

int device_index(const Info& info, size_t i) {
  ensure_device();
  if (is_nullish(info, i)) return c10::cuda::current_device();
  int64_t d = int_arg(info, i, "device");
  int64_t n = c10::cuda::device_count();
  if (d < 0) return c10::cuda::current_device();
  if (d >= n) throw_range("Invalid device id " + std::to_string(d) + " (device_count is " + std::to_string(n) + ")");
  return static_cast<int>(d);
}
#endif

bool autocast_enabled(const std::string& dev) {
#ifdef TN_AUTOCAST_BY_DEVICE
  return at::autocast::is_autocast_enabled(dev == "cpu" ? at::kCPU : at::kCUDA);
#else
  return dev == "cpu" ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled();
#endif
}
void set_autocast_enabled(const std::string& dev, bool on) {
#ifdef TN_AUTOCAST_BY_DEVICE
  at::autocast::set_autocast_enabled(dev == "cpu" ? at::kCPU : at::kCUDA, on);
#else
  if (dev == "cpu") at::autocast::set_cpu_enabled(on);
  else at::autocast::set_enabled(on);
#endif
}
at::ScalarType autocast_dtype(const std::string& dev) {
#ifdef TN_AUTOCAST_BY_DEVICE
  return at::autocast::get_autocast_dtype(dev == "cpu" ? at::kCPU : at::kCUDA);
#else
  return dev == "cpu" ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype();
#endif
}
void set_autocast_dtype(const std::string& dev, at::ScalarType t) {
#ifdef TN_AUTOCAST_BY_DEVICE
  at::autocast::set_autocast_dtype(dev == "cpu" ? at::kCPU : at::kCUDA, t);
#else
  if (dev == "cpu") at::autocast::set_autocast_cpu_dtype(t);
  else at::autocast::set_autocast_gpu_dtype(t);
#endif
}
std::string autocast_device(const Info& info, size_t i) {
  std::string d = string_arg(info, i, "device_type");
  if (d != "cpu" && d != "cuda")
    throw_range("User specified an unsupported autocast device_type '" + d + "'");
  return d;
}
}  // namespace

// [sync] _cuda_current_device() -> int. TorchError without CUDA, or without a driver or device.
TN_FN_NOROLL(_cuda_current_device) {
#ifdef TN_WITH_CUDA
  ensure_device();
  return Napi::Number::New(info.Env(), c10::cuda::current_device());
#else
  no_cuda();
#endif
}

// [sync] _cuda_set_device(i): i < 0 is a no-op (as PyTorch). TorchError without CUDA, RangeError
// for a device that does not exist.
TN_FN_NOROLL(_cuda_set_device) {
  int64_t d = int_arg(info, 0, "device");
  if (d < 0) return info.Env().Undefined();
#ifdef TN_WITH_CUDA
  c10::cuda::set_device(static_cast<c10::DeviceIndex>(device_index(info, 0)));
  return info.Env().Undefined();
#else
  no_cuda();
#endif
}

// [sync] _cuda_get_device_name(i|null) -> string. TorchError without CUDA.
TN_FN_NOROLL(_cuda_get_device_name) {
#ifdef TN_WITH_CUDA
  int d = device_index(info, 0);
  return Napi::String::New(info.Env(), at::cuda::getDeviceProperties(d)->name);
#else
  no_cuda();
#endif
}

// [sync] _cuda_get_device_capability(i|null) -> [major, minor]. TorchError without CUDA.
TN_FN_NOROLL(_cuda_get_device_capability) {
#ifdef TN_WITH_CUDA
  int d = device_index(info, 0);
  auto* p = at::cuda::getDeviceProperties(d);
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  a.Set(0u, Napi::Number::New(info.Env(), p->major));
  a.Set(1u, Napi::Number::New(info.Env(), p->minor));
  return a;
#else
  no_cuda();
#endif
}

// [sync] _cuda_synchronize(i|null): waits for every kernel on the device. TorchError without CUDA.
TN_FN_NOROLL(_cuda_synchronize) {
#ifdef TN_WITH_CUDA
  int d = device_index(info, 0);
  c10::cuda::CUDAGuard g(static_cast<c10::DeviceIndex>(d));
  c10::cuda::device_synchronize();
  return info.Env().Undefined();
#else
  no_cuda();
#endif
}

// [sync] _cuda_manual_seed(seed, all: bool): seeds the current (or every) device's default
// generator. A no-op without CUDA (as PyTorch).
TN_FN_NOROLL(_cuda_manual_seed) {
  int64_t seed = int_arg(info, 0, "seed");
  bool all = bool_arg(info, 1, "all");
#ifdef TN_WITH_CUDA
  int n = c10::cuda::device_count();
  int cur = n > 0 ? c10::cuda::current_device() : 0;
  for (int d = 0; d < n; d++) {
    if (!all && d != cur) continue;
    auto gen = at::cuda::detail::getDefaultCUDAGenerator(d);
    std::lock_guard<std::mutex> lk(gen.mutex());
    gen.set_current_seed(static_cast<uint64_t>(seed));
  }
#else
  (void)seed;
  (void)all;
#endif
  return info.Env().Undefined();
}

// [sync] _cuda_memory_stats(i|null) -> [allocated, max_allocated, reserved, max_reserved] bytes.
// Zeros without CUDA (PyTorch reports an uninitialized allocator as empty).
TN_FN_NOROLL(_cuda_memory_stats) {
  Napi::Array a = Napi::Array::New(info.Env(), 4);
  double v[4] = {0, 0, 0, 0};
#ifdef TN_WITH_CUDA
  if (c10::cuda::device_count() > 0) {
    int d = device_index(info, 0);
    auto s = c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<c10::DeviceIndex>(d));
    // Index 0 is StatType::AGGREGATE in every libtorch version.
    v[0] = static_cast<double>(s.allocated_bytes[0].current);
    v[1] = static_cast<double>(s.allocated_bytes[0].peak);
    v[2] = static_cast<double>(s.reserved_bytes[0].current);
    v[3] = static_cast<double>(s.reserved_bytes[0].peak);
  }
#endif
  for (uint32_t k = 0; k < 4; k++) a.Set(k, Napi::Number::New(info.Env(), v[k]));
  return a;
}

// [sync] _cuda_reset_peak_memory_stats(i|null). TorchError without CUDA.
TN_FN_NOROLL(_cuda_reset_peak_memory_stats) {
#ifdef TN_WITH_CUDA
  int d = device_index(info, 0);
  c10::cuda::CUDACachingAllocator::resetPeakStats(static_cast<c10::DeviceIndex>(d));
  return info.Env().Undefined();
#else
  no_cuda();
#endif
}

// [sync] _cuda_empty_cache(): returns cached blocks to the driver. A no-op without CUDA.
TN_FN_NOROLL(_cuda_empty_cache) {
#ifdef TN_WITH_CUDA
  if (c10::cuda::device_count() > 0) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
  return info.Env().Undefined();
}

// [sync] _cudnn_flags(benchmark|null, deterministic|null) -> [benchmark, deterministic, available, version|null].
// Sets the given flags (libtorch's global context), then reports them.
TN_FN_NOROLL(_cudnn_flags) {
  auto b = opt_bool_arg(info, 0, "benchmark");
  auto d = opt_bool_arg(info, 1, "deterministic");
  auto& ctx = at::globalContext();
  if (b) ctx.setBenchmarkCuDNN(*b);
  if (d) ctx.setDeterministicCuDNN(*d);
  Napi::Array a = Napi::Array::New(info.Env(), 4);
  a.Set(0u, Napi::Boolean::New(info.Env(), ctx.benchmarkCuDNN()));
  a.Set(1u, Napi::Boolean::New(info.Env(), ctx.deterministicCuDNN()));
  bool avail = at::detail::getCUDAHooks().compiledWithCuDNN();
  a.Set(2u, Napi::Boolean::New(info.Env(), avail));
  if (avail) a.Set(3u, Napi::Number::New(info.Env(), static_cast<double>(at::detail::getCUDAHooks().versionCuDNN())));
  else a.Set(3u, info.Env().Null());
  return a;
}

// [sync] _autocast_state(device_type) -> [enabled, dtype code, cache_enabled]. RangeError for other devices.
TN_FN_NOROLL(_autocast_state) {
  std::string dev = autocast_device(info, 0);
  Napi::Array a = Napi::Array::New(info.Env(), 3);
  a.Set(0u, Napi::Boolean::New(info.Env(), autocast_enabled(dev)));
  a.Set(1u, ret(info.Env(), autocast_dtype(dev)));
  a.Set(2u, Napi::Boolean::New(info.Env(), at::autocast::is_autocast_cache_enabled()));
  return a;
}

// [sync] _autocast_enter(device_type, enabled, dtype, cache_enabled) -> [prev_enabled, prev_dtype, prev_cache].
// As PyTorch's autocast.__enter__: sets the state and increments the nesting level.
TN_FN_NOROLL(_autocast_enter) {
  std::string dev = autocast_device(info, 0);
  bool on = bool_arg(info, 1, "enabled");
  at::ScalarType dt = dtype_arg(info, 2, "dtype");
  bool cache = bool_arg(info, 3, "cache_enabled");
  Napi::Array prev = Napi::Array::New(info.Env(), 3);
  prev.Set(0u, Napi::Boolean::New(info.Env(), autocast_enabled(dev)));
  prev.Set(1u, ret(info.Env(), autocast_dtype(dev)));
  prev.Set(2u, Napi::Boolean::New(info.Env(), at::autocast::is_autocast_cache_enabled()));
  set_autocast_enabled(dev, on);
  set_autocast_dtype(dev, dt);
  at::autocast::set_autocast_cache_enabled(cache);
  at::autocast::increment_nesting();
  return prev;
}

// [sync] _autocast_exit(device_type, prev_enabled, prev_dtype, prev_cache): restores the state; the
// outermost exit clears the cast cache.
TN_FN_NOROLL(_autocast_exit) {
  std::string dev = autocast_device(info, 0);
  bool on = bool_arg(info, 1, "enabled");
  at::ScalarType dt = dtype_arg(info, 2, "dtype");
  bool cache = bool_arg(info, 3, "cache_enabled");
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_autocast_enabled(dev, on);
  set_autocast_dtype(dev, dt);
  at::autocast::set_autocast_cache_enabled(cache);
  return info.Env().Undefined();
}

// [sync] _amp_foreach_non_finite_check_and_unscale_(grads[], found_inf, inv_scale): multiplies every
// grad by inv_scale in place and sets found_inf to 1 if any grad holds inf/NaN. The ATen op on CUDA;
// on the CPU (where libtorch 1.13 has no kernel) the same computation from ATen ops.
TN_FN_NOROLL(_amp_foreach_non_finite_check_and_unscale_) {
  std::vector<at::Tensor> grads = tensor_list_arg(info, 0, "self");
  at::Tensor found_inf = tensor_arg(info, 1, "found_inf");
  at::Tensor inv_scale = tensor_arg(info, 2, "inv_scale");
  at::NoGradGuard ng;
  if (found_inf.is_cuda()) {
    at::_amp_foreach_non_finite_check_and_unscale_(grads, found_inf, inv_scale);
    return info.Env().Undefined();
  }
  if (inv_scale.numel() != 1 || found_inf.numel() != 1) throw_torch("inv_scale and found_inf must be 1-element tensors");
  for (auto& g : grads) {
    if (g.numel() == 0) continue;
    if (!g.isfinite().all().item<bool>()) found_inf.fill_(1.0);
    g.mul_(inv_scale.to(g.scalar_type()));
  }
  return info.Env().Undefined();
}

// [sync] _amp_update_scale_(scale, growth_tracker, found_inf, growth_factor, backoff_factor,
// growth_interval): PyTorch's scale update, in place (ATen op on CUDA, the same rule on the CPU).
TN_FN_NOROLL(_amp_update_scale_) {
  at::Tensor scale = tensor_arg(info, 0, "self");
  at::Tensor tracker = tensor_arg(info, 1, "growth_tracker");
  at::Tensor found_inf = tensor_arg(info, 2, "found_inf");
  double growth = double_arg(info, 3, "scale_growth_factor");
  double backoff = double_arg(info, 4, "scale_backoff_factor");
  int64_t interval = int_arg(info, 5, "growth_interval");
  at::NoGradGuard ng;
  if (scale.is_cuda()) {
    at::_amp_update_scale_(scale, tracker, found_inf, growth, backoff, interval);
    return info.Env().Undefined();
  }
  if (found_inf.item<double>() != 0) {
    scale.mul_(backoff);
    tracker.fill_(0);
  } else {
    int64_t successful = tracker.item<int64_t>() + 1;
    if (successful == interval) {
      double grown = scale.item<double>() * growth;
      if (std::isfinite(static_cast<float>(grown))) scale.fill_(grown);
      tracker.fill_(0);
    } else {
      tracker.fill_(successful);
    }
  }
  return info.Env().Undefined();
}

}  // namespace tn

namespace tn {
// [sync] _pin_memory(tensor, device|null) -> a copy in page-locked host memory (the tensor itself
// when already pinned). Without CUDA, libtorch's own error (as PyTorch on a CPU-only machine): a
// TorchError, no crash.
TN_FN(_pin_memory) {
  at::Tensor t = tensor_arg(info, 0, "self");
  auto dev = opt_device_arg(info, 1, "device");
  return ret(info.Env(), dev ? t.pin_memory(*dev) : t.pin_memory());
}

// [sync] _is_pinned(tensor, device|null) -> bool (false without CUDA).
TN_FN_NOROLL(_is_pinned) {
  at::Tensor t = tensor_arg(info, 0, "self");
  auto dev = opt_device_arg(info, 1, "device");
  return Napi::Boolean::New(info.Env(), dev ? t.is_pinned(*dev) : t.is_pinned());
}
}  // namespace tn
