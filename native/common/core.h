// torch-node native core: the error guard, the tensor handle registry and argument conversion.
// Every entry point is declared with TN_FN and so runs inside tn::entry (the one error guard).
#pragma once
#include "pch.h"
#include <stdexcept>
#include <c10/util/Optional.h>

namespace tn {

// One spelling of optional for libtorch 1.13 (c10::optional) and 2.x (std::optional underneath).
template <class T>
using opt = c10::optional<T>;

// ---------------------------------------------------------------- errors
enum class ErrKind { Type, Range, Torch };

// An argument problem found while converting JS values; becomes a JS TypeError/RangeError.
struct ArgError : std::runtime_error {
  ErrKind kind;
  ArgError(ErrKind k, const std::string& m) : std::runtime_error(m), kind(k) {}
};
[[noreturn]] void throw_type(const std::string& msg);
[[noreturn]] void throw_range(const std::string& msg);
[[noreturn]] void throw_torch(const std::string& msg);

// Converts the exception in flight into a pending JS exception (TorchError/TypeError/RangeError).
void rethrow_to_js(napi_env env);

// ---------------------------------------------------------------- handle registry
// Tensors live in a per-thread slot table; JS holds the slot index. Slots are grouped in arenas,
// each owned by one JS "token" object whose GC finalizer frees the slots still in that arena.
// Invariants: the table is touched only on the JS thread that owns it; a slot's `arena` is 0 when
// free; a slot freed explicitly is never freed again by its old arena (arena ids are unique).
struct Registry;
Registry& registry();
// Called at the start of every tensor-producing entry point (may start a new arena).
void begin_call(napi_env env);
// Stores a tensor and returns its handle: >= 0 for an arena tensor, ~slot for a large tensor that
// needs a token of its own (JS asks for it with solo_token).
int32_t put(at::Tensor t);
// The tensor behind a handle; throws TorchError if it was disposed.
const at::Tensor& get(int32_t h);

// ---------------------------------------------------------------- arguments
using Info = Napi::CallbackInfo;
at::Tensor tensor_arg(const Info& info, size_t i, const char* name);
// A Tensor, or a number boxed as [value] by lib/dispatch.ts: becomes a wrapped-number tensor (as
// PyTorch's argument parser makes for `x.mul(2)`), which type promotion treats as a scalar.
at::Tensor tensor_or_number_arg(const Info& info, size_t i, const char* name);
opt<at::Tensor> opt_tensor_arg(const Info& info, size_t i, const char* name);
std::vector<at::Tensor> tensor_list_arg(const Info& info, size_t i, const char* name);
c10::List<opt<at::Tensor>> opt_tensor_list_arg(const Info& info, size_t i, const char* name);
int64_t int_arg(const Info& info, size_t i, const char* name);
opt<int64_t> opt_int_arg(const Info& info, size_t i, const char* name);
double double_arg(const Info& info, size_t i, const char* name);
opt<double> opt_double_arg(const Info& info, size_t i, const char* name);
bool bool_arg(const Info& info, size_t i, const char* name);
opt<bool> opt_bool_arg(const Info& info, size_t i, const char* name);
std::vector<int64_t> int_list_arg(const Info& info, size_t i, const char* name);
opt<std::vector<int64_t>> opt_int_list_arg(const Info& info, size_t i, const char* name);
// int[N] parameters: a single integer is repeated N times (as PyTorch's argument parser does).
std::vector<int64_t> fixed_int_list_arg(const Info& info, size_t i, const char* name, size_t n);
// Layout? parameters: only the default (strided) layout is supported; null/undefined or 'strided'.
opt<at::Layout> layout_arg(const Info& info, size_t i, const char* name);
std::vector<double> double_list_arg(const Info& info, size_t i, const char* name);
at::Scalar scalar_arg(const Info& info, size_t i, const char* name);
opt<at::Scalar> opt_scalar_arg(const Info& info, size_t i, const char* name);
at::ScalarType dtype_arg(const Info& info, size_t i, const char* name);
opt<at::ScalarType> opt_dtype_arg(const Info& info, size_t i, const char* name);
at::Device device_arg(const Info& info, size_t i, const char* name);
opt<at::MemoryFormat> opt_memory_format_arg(const Info& info, size_t i, const char* name);
opt<at::Device> opt_device_arg(const Info& info, size_t i, const char* name);
std::string string_arg(const Info& info, size_t i, const char* name);
opt<std::string> opt_string_arg(const Info& info, size_t i, const char* name);
bool is_nullish(const Info& info, size_t i);

// Parses 'cpu', 'cuda', 'cuda:1', ... and checks that the device exists.
at::Device parse_device(const std::string& s);

// ---------------------------------------------------------------- results
Napi::Value ret(napi_env env, const at::Tensor& t);  // handle, or null for an undefined tensor
Napi::Value ret(napi_env env, const std::vector<at::Tensor>& ts);
Napi::Value ret(napi_env env, bool v);
Napi::Value ret(napi_env env, int64_t v);
Napi::Value ret(napi_env env, double v);
Napi::Value ret(napi_env env, const at::Scalar& s);
Napi::Value ret(napi_env env, at::ScalarType t);
Napi::Value ret(napi_env env, const std::vector<int64_t>& v);
template <class... Ts>
Napi::Value ret(napi_env env, const std::tuple<Ts...>& tup) {
  Napi::Array a = Napi::Array::New(env, sizeof...(Ts));
  uint32_t k = 0;
  std::apply([&](const auto&... xs) { ((a.Set(k++, ret(env, xs))), ...); }, tup);
  return a;
}

// ---------------------------------------------------------------- owned externals
// A JS external that owns `p` and deletes it from a basic (GC-time) finalizer. Use this rather than
// Napi::External<T>::New(env, p, finalizer): node-addon-api's finalizer wrapper does not compile
// against Node 20's headers in the experimental N-API mode the addon is built in. T's destructor
// must not touch JS.
template <class T>
Napi::Value owned_external(napi_env env, T* p) {
  napi_value v;
  napi_status st = napi_create_external(
      env, p, [](node_api_basic_env, void* data, void*) { delete static_cast<T*>(data); }, nullptr, &v);
  if (st != napi_ok) {
    delete p;
    throw Napi::Error::New(env, "could not create an external object");
  }
  return Napi::Value(env, v);
}

// ---------------------------------------------------------------- registration
using RawFn = napi_value (*)(napi_env, napi_callback_info);
struct Registrar {
  Registrar(const char* name, RawFn fn);
};
struct FnEntry { const char* name; RawFn fn; };
std::vector<FnEntry>& entries();

// The one error guard. `Rolls` marks entry points that may produce tensors.
template <Napi::Value (*F)(const Napi::CallbackInfo&), bool Rolls>
napi_value entry(napi_env env, napi_callback_info cbinfo) {
  try {
    Napi::CallbackInfo info(env, cbinfo);
    if (Rolls) begin_call(env);
    Napi::Value v = F(info);
    return v;
  } catch (...) {
    rethrow_to_js(env);
    return nullptr;
  }
}

}  // namespace tn

#define TN_CAT2(a, b) a##b
#define TN_CAT(a, b) TN_CAT2(a, b)
// Declares an entry point `name` exported to JS under the same name.
#define TN_FN(name)                                                                      \
  static Napi::Value name(const Napi::CallbackInfo& info);                              \
  static ::tn::Registrar TN_CAT(tn_reg_, name)(#name, &::tn::entry<name, true>);         \
  static Napi::Value name(const Napi::CallbackInfo& info)
// Same, for entry points that never create tensors (bookkeeping, metadata).
#define TN_FN_NOROLL(name)                                                               \
  static Napi::Value name(const Napi::CallbackInfo& info);                              \
  static ::tn::Registrar TN_CAT(tn_reg_, name)(#name, &::tn::entry<name, false>);        \
  static Napi::Value name(const Napi::CallbackInfo& info)
