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
// The JS class an error becomes. Type/Range: the loading realm's built-ins (argument problems);
// the others: lib/errors.ts's classes, chosen by the c10 error type as torch/csrc/Exceptions.h
// maps c10::IndexError to IndexError, c10::ValueError to ValueError, and so on.
enum class ErrKind { Type, Range, Torch, Index, Value, TorchType, NotImplemented, LinAlg, OutOfMemory, kCount };

// An argument problem found while converting JS values; becomes a JS TypeError/RangeError.
struct ArgError : std::runtime_error {
  ErrKind kind;
  ArgError(ErrKind k, const std::string& m) : std::runtime_error(m), kind(k) {}
};
[[noreturn]] void throw_type(const std::string& msg);
[[noreturn]] void throw_range(const std::string& msg);
[[noreturn]] void throw_torch(const std::string& msg);

// Converts the exception in flight into a pending JS exception (TorchError or one of its
// subclasses, TypeError, RangeError).
void rethrow_to_js(napi_env env);

// A captured exception, kept to be turned into a JS error later on the JS thread (async jobs).
struct CapturedError {
  ErrKind kind = ErrKind::Torch;
  std::string message;
};
// Classifies an exception (as rethrow_to_js does) without touching JS; safe on any thread.
CapturedError capture_error(std::exception_ptr p);
// The JS error object for a captured error (JS thread only).
napi_value error_value(napi_env env, const CapturedError& e);

// ---------------------------------------------------------------- warnings
// libtorch warnings (TORCH_WARN, TORCH_WARN_ONCE, deprecations) raised on a thread are collected
// by that thread's handler and handed to JS's warn function (lib/errors.ts, given at _init), which
// calls process.emitWarning once per message, as PyTorch's warnings filter does by default.
struct PendingWarning {
  std::string message;
  bool deprecation = false;
};
// Collects the warnings raised on this thread while it lives (an async job's Execute()).
struct WarningCapture {
  WarningCapture();
  ~WarningCapture();
  std::vector<PendingWarning> take();
  void* impl;
};
// Installs the collecting handler on the calling JS thread for the life of its environment.
void install_warning_handler();
// Whether the JS thread's handler holds warnings (cheap: checked after every entry point).
bool warnings_pending();
// Hands the JS thread's collected warnings (or `ws`) to JS. A JS exception thrown by the warn
// function (node --throw-deprecation) stays pending.
void flush_warnings(napi_env env);
void emit_warnings(napi_env env, const std::vector<PendingWarning>& ws);

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
// The one reader of tensor handles. A handle is a JS integer in int32 range; anything else is a
// TypeError naming the argument ("argument 'other' (position 2) must be a Tensor"); a disposed
// handle is a TorchError. `i` is the argument's position, also for a handle read from inside an
// array or object.
int32_t handle_value(const Napi::Value& v, size_t i, const char* name);
// The tensor behind handle value `v` (an element of a list argument, a field of an object).
// The reference is to the registry's slot: copy it before another tensor is stored.
const at::Tensor& tensor_value(const Napi::Value& v, size_t i, const char* name);
// Argument `i` as a tensor (same lifetime rule as tensor_value).
const at::Tensor& tensor_arg(const Info& info, size_t i, const char* name);
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

// The one typed-array reader: argument `i` (or value `v`) as a TypedArray, optionally of one
// element type (`want`, e.g. napi_uint8_array; what_kind names it: "a Uint8Array"). `data` points
// at the first element (byteOffset applied); an on-heap array is moved off-heap, so `data` stays
// valid while the array is alive. TypeError naming the argument otherwise.
struct TypedArrayView {
  napi_value value = nullptr;
  napi_typedarray_type type = napi_uint8_array;
  void* data = nullptr;
  size_t length = 0;      // elements
  size_t byte_length = 0;
  napi_value buffer = nullptr;  // the ArrayBuffer
};
constexpr int kAnyTypedArray = -1;
TypedArrayView typed_array_value(napi_env env, napi_value v, size_t i, const char* name, int want = kAnyTypedArray,
                                 const char* what_kind = "a TypedArray");
TypedArrayView typed_array_arg(const Info& info, size_t i, const char* name, int want = kAnyTypedArray,
                               const char* what_kind = "a TypedArray");

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
  napi_value out = nullptr;
  try {
    Napi::CallbackInfo info(env, cbinfo);
    if (Rolls) begin_call(env);
    out = F(info);
  } catch (...) {
    // Warnings raised before the error reach JS first, as PyTorch's PyWarningHandler does.
    if (warnings_pending()) flush_warnings(env);
    rethrow_to_js(env);
    return nullptr;
  }
  if (warnings_pending()) flush_warnings(env);
  return out;
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
