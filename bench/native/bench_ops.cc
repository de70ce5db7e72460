// Entry points used only by bench/handles.js to compare handle designs on the same crossing; not
// part of the production addon: compiled in by `node scripts/build-native.js --bench` (CMake
// option TN_BENCH, build directory build-bench/).
// The production design is the registry in native/common/registry.cc.
#include "common/core.h"

namespace tn {
namespace {
// A plain slot table with no arenas: for the "integer handle + FinalizationRegistry" design.
std::vector<at::Tensor> g_table;
std::vector<int32_t> g_free;

void external_finalize(node_api_basic_env, void* data, void*) { delete static_cast<at::Tensor*>(data); }
}  // namespace

// [sync] _bench_add(a, b) -> registry handle of a + b (the production path, without the dispatcher).
TN_FN(_bench_add) {
  return ret(info.Env(), at::add(tensor_arg(info, 0, "a"), tensor_arg(info, 1, "b")));
}
// [sync] _bench_noop(): the cost of one guarded crossing.
TN_FN(_bench_noop) { return info.Env().Undefined(); }

// [sync] _bench_add_external(a, b) -> an external object owning a + b, freed by its GC finalizer
// (the "one native object per tensor" design).
TN_FN(_bench_add_external) {
  auto* t = new at::Tensor(at::add(tensor_arg(info, 0, "a"), tensor_arg(info, 1, "b")));
  napi_value v;
  napi_create_external(info.Env(), t, external_finalize, nullptr, &v);
  return Napi::Value(info.Env(), v);
}

// [sync] _bench_add_table(a, b) -> index in a plain table; _bench_free_table(i) frees it
// (the "integer handle + FinalizationRegistry" design).
TN_FN(_bench_add_table) {
  at::Tensor t = at::add(tensor_arg(info, 0, "a"), tensor_arg(info, 1, "b"));
  int32_t i;
  if (!g_free.empty()) {
    i = g_free.back();
    g_free.pop_back();
    g_table[i] = std::move(t);
  } else {
    i = static_cast<int32_t>(g_table.size());
    g_table.push_back(std::move(t));
  }
  return Napi::Number::New(info.Env(), i);
}
TN_FN_NOROLL(_bench_free_table) {
  int32_t i = handle_value(info[0], 0, "handle");
  if (i >= 0 && static_cast<size_t>(i) < g_table.size() && g_table[i].defined()) {
    g_table[i].reset();
    g_free.push_back(i);
  }
  return info.Env().Undefined();
}
}  // namespace tn
