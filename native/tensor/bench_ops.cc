// Hand-written entry points used by bench/handles.js to measure the crossing itself
// (the generated ops go through the same guard and registry).
#include "../common/core.h"

namespace tn {
// [sync] _bench_add(a, b) -> handle of a + b.
TN_FN(_bench_add) {
  return ret(info.Env(), at::add(get(info[0].As<Napi::Number>().Int32Value()), get(info[1].As<Napi::Number>().Int32Value())));
}
// [sync] _bench_noop() -> undefined: the cost of one guarded crossing.
TN_FN(_bench_noop) { return info.Env().Undefined(); }
}  // namespace tn
