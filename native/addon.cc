// Module entry: every family registers its entry points with TN_FN (native/common/core.h); Init
// exports them all. `_init` receives the JS error classes and the shared state array once at load.
#include "common/core.h"
#include "common/state.h"

namespace tn {

std::vector<FnEntry>& entries() {
  static std::vector<FnEntry> e;
  return e;
}
Registrar::Registrar(const char* name, RawFn fn) { entries().push_back({name, fn}); }

void defer_release(State* st, napi_ref ref) {
  std::lock_guard<std::mutex> lk(st->deferred_mu);
  st->deferred.push_back(ref);
  st->has_deferred = true;
}

void drain_deferred(napi_env env) {
  State& st = state();
  if (!st.has_deferred) return;
  std::vector<napi_ref> refs;
  {
    std::lock_guard<std::mutex> lk(st.deferred_mu);
    refs.swap(st.deferred);
    st.has_deferred = false;
  }
  for (napi_ref r : refs) napi_delete_reference(env, r);
}

// [sync] _init({TorchError, TypeError?, RangeError?, IndexError?, ValueError?, TorchTypeError?,
// NotImplementedError?, LinAlgError?, OutOfMemoryError?, warn?, shared: Int32Array(4)}): hands the
// JS error classes, the warn function and the shared state array to native code. Throws TypeError
// on a malformed argument.
TN_FN_NOROLL(_init) {
  State& st = state();
  napi_env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) throw_type("_init: expects an options object");
  Napi::Object o = info[0].As<Napi::Object>();
  if (!o.Get("TorchError").IsFunction()) throw_type("_init: TorchError must be a class");
  static const std::pair<const char*, ErrKind> kClasses[] = {
      {"TorchError", ErrKind::Torch},        {"TypeError", ErrKind::Type},
      {"RangeError", ErrKind::Range},        {"IndexError", ErrKind::Index},
      {"ValueError", ErrKind::Value},        {"TorchTypeError", ErrKind::TorchType},
      {"NotImplementedError", ErrKind::NotImplemented}, {"LinAlgError", ErrKind::LinAlg},
      {"OutOfMemoryError", ErrKind::OutOfMemory}};
  auto keep = [&](napi_ref* ref, Napi::Value v) {
    if (*ref) napi_delete_reference(env, *ref);
    *ref = nullptr;
    if (v.IsFunction()) napi_create_reference(env, v, 1, ref);
  };
  for (const auto& [key, kind] : kClasses) keep(&st.error_class[static_cast<size_t>(kind)], o.Get(key));
  keep(&st.warn_fn, o.Get("warn"));
  Napi::Value sh = o.Get("shared");
  if (!sh.IsTypedArray()) throw_type("_init: shared must be an Int32Array");
  Napi::Int32Array arr = sh.As<Napi::Int32Array>();
  if (arr.ElementLength() < 4) throw_range("_init: shared must hold 4 elements");
  if (st.reg.shared_ref) napi_delete_reference(info.Env(), st.reg.shared_ref);
  napi_create_reference(info.Env(), arr, 1, &st.reg.shared_ref);
  st.reg.shared = arr.Data();
  st.reg.shared[0] = static_cast<int32_t>(st.reg.cur_arena);
  return info.Env().Undefined();
}

namespace dist {
std::vector<std::string> compiled_backends();  // native/distributed/c10d.cc
}

// [sync] _build_info() -> {torch_version, cuda, napi_experimental, c10d_backends}: what this binary
// was compiled against; c10d_backends: the torch.distributed backends compiled in ("gloo", "nccl").
TN_FN_NOROLL(_build_info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("torch_version", std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                             std::to_string(TORCH_VERSION_PATCH));
#ifdef TN_WITH_CUDA
  o.Set("cuda", true);
#else
  o.Set("cuda", false);
#endif
  o.Set("napi_experimental", NAPI_VERSION == NAPI_VERSION_EXPERIMENTAL);
  std::vector<std::string> backends = dist::compiled_backends();
  Napi::Array b = Napi::Array::New(info.Env(), backends.size());
  for (size_t i = 0; i < backends.size(); i++) b.Set(static_cast<uint32_t>(i), backends[i]);
  o.Set("c10d_backends", b);
  return o;
}

namespace {
void cleanup_state(napi_env env, void* data, void*) {
  State* st = static_cast<State*>(data);
  // Tensors are released with the registry; JS references die with the environment.
  set_state(nullptr);
  delete st;
}
}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  State* st = new State();
  st->env = env;
  set_state(st);
  napi_set_instance_data(env, st, cleanup_state, nullptr);
  install_warning_handler();
  for (const FnEntry& e : entries()) {
    napi_value fn;
    napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn);
    exports.Set(e.name, Napi::Value(env, fn));
  }
  return exports;
}

}  // namespace tn

static Napi::Object InitAll(Napi::Env env, Napi::Object exports) { return tn::Init(env, exports); }
NODE_API_MODULE(torch_node, InitAll)
