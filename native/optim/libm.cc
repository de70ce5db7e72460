// The C library's pow/cos/log for torch.optim.lr_scheduler. Python's float `**`, math.cos and
// math.log call these functions; V8's Math.pow/Math.cos/Math.log are different implementations
// that can differ in the last bit, so schedulers call these to produce PyTorch's floats exactly.
#include "../common/core.h"
#include <cmath>

namespace tn {
namespace {

// [sync] _libm_pow(x, y) -> number: std::pow (Python's float ** float).
TN_FN_NOROLL(_libm_pow) {
  return Napi::Number::New(info.Env(), std::pow(double_arg(info, 0, "x"), double_arg(info, 1, "y")));
}
// [sync] _libm_cos(x) -> number: std::cos (Python's math.cos).
TN_FN_NOROLL(_libm_cos) { return Napi::Number::New(info.Env(), std::cos(double_arg(info, 0, "x"))); }
// [sync] _libm_log(x) -> number: std::log (Python's math.log of a positive float).
TN_FN_NOROLL(_libm_log) { return Napi::Number::New(info.Env(), std::log(double_arg(info, 0, "x"))); }

}  // namespace
}  // namespace tn
