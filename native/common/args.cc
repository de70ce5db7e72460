// Argument conversion from JS values. Conventions shared with lib/: tensors arrive as integer
// handles; dtypes as c10::ScalarType codes; devices as strings; optional values as null/undefined.
#include "core.h"
#include <cmath>
#include <cstdio>
#include "state.h"
#include <ATen/detail/CUDAHooksInterface.h>
#include <ATen/ScalarOps.h>
#ifdef TN_WITH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace tn {

namespace {
std::string where(size_t i, const char* name) {
  return std::string("argument '") + name + "' (position " + std::to_string(i + 1) + ")";
}
// A double in the shortest form that reads back the same (1e+18, 0.5), not std::to_string's
// fixed notation, which spells 1e300 with 301 digits.
std::string number_text(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}
int64_t to_int(const Napi::Value& v, size_t i, const char* name) {
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || d != std::trunc(d))
      throw_type(where(i, name) + " must be an integer, got " + number_text(d));
    // [-2^63, 2^63): the doubles that convert to int64 without overflow (the cast is undefined
    // outside). PyTorch's argument parser says "Overflow when unpacking long" here.
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
      throw_range(where(i, name) + " is out of the int64 range (Overflow when unpacking long), got " + number_text(d));
    return static_cast<int64_t>(d);
  }
  if (v.IsBigInt()) {
    bool lossless = true;
    int64_t x = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) throw_range(where(i, name) + " is out of the int64 range (Overflow when unpacking long)");
    return x;
  }
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value() ? 1 : 0;
  throw_type(where(i, name) + " must be an integer");
}
// JS numbers that are integers become integral Scalars (PyTorch's int), others double; BigInt is
// int64; booleans are bool. Throws TypeError (with `what`) for anything else.
at::Scalar scalar_of(const Napi::Value& v, size_t i, const char* name, const char* what) {
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9007199254740992.0)
      return at::Scalar(static_cast<int64_t>(d));
    return at::Scalar(d);
  }
  if (v.IsBoolean()) return at::Scalar(v.As<Napi::Boolean>().Value());
  if (v.IsBigInt()) return at::Scalar(to_int(v, i, name));
  throw_type(where(i, name) + what);
}
}  // namespace

int32_t handle_value(const Napi::Value& v, size_t i, const char* name) {
  double d;
  // napi_get_value_double fails (napi_number_expected, nothing pending) for a non-number.
  if (napi_get_value_double(v.Env(), v, &d) != napi_ok || !(d >= -2147483648.0 && d <= 2147483647.0) ||
      d != static_cast<double>(static_cast<int32_t>(d)))
    throw_type(where(i, name) + " must be a Tensor");
  return static_cast<int32_t>(d);
}

const at::Tensor& tensor_value(const Napi::Value& v, size_t i, const char* name) { return get(handle_value(v, i, name)); }

namespace {
size_t typed_array_elem_size(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: case napi_uint8_array: case napi_uint8_clamped_array: return 1;
    case napi_int16_array: case napi_uint16_array: return 2;
    case napi_int32_array: case napi_uint32_array: case napi_float32_array: return 4;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: return 8;
    default: return 1;
  }
}
}  // namespace

TypedArrayView typed_array_value(napi_env env, napi_value v, size_t i, const char* name, int want, const char* what_kind) {
  bool is = false;
  if (v) napi_is_typedarray(env, v, &is);
  TypedArrayView out;
  size_t off = 0;
  if (!is || napi_get_typedarray_info(env, v, &out.type, &out.length, &out.data, &out.buffer, &off) != napi_ok ||
      (want != kAnyTypedArray && out.type != static_cast<napi_typedarray_type>(want)))
    throw_type(where(i, name) + " must be " + what_kind);
  out.value = v;
  out.byte_length = out.length * typed_array_elem_size(out.type);
  return out;
}

TypedArrayView typed_array_arg(const Info& info, size_t i, const char* name, int want, const char* what_kind) {
  return typed_array_value(info.Env(), i < info.Length() ? static_cast<napi_value>(info[i]) : nullptr, i, name, want, what_kind);
}

bool is_nullish(const Info& info, size_t i) {
  if (i >= info.Length()) return true;
  napi_valuetype t;
  napi_typeof(info.Env(), info[i], &t);
  return t == napi_undefined || t == napi_null;
}

const at::Tensor& tensor_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length()) throw_type(where(i, name) + " is missing (expected a Tensor)");
  return tensor_value(info[i], i, name);
}
at::Tensor tensor_or_number_arg(const Info& info, size_t i, const char* name) {
  if (i < info.Length() && info[i].IsArray()) {
    Napi::Array a = info[i].As<Napi::Array>();
    if (a.Length() != 1) throw_type(where(i, name) + " must be a Tensor or a number");
    at::Scalar s = scalar_of(a.Get(0u), i, name, " must be a Tensor or a number");
    at::Tensor t = at::scalar_to_tensor(s);
    t.unsafeGetTensorImpl()->set_wrapped_number(true);
    return t;
  }
  return tensor_arg(info, i, name);
}
opt<at::Tensor> opt_tensor_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  return tensor_arg(info, i, name);
}
std::vector<at::Tensor> tensor_list_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsArray()) throw_type(where(i, name) + " must be an array of Tensors");
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<at::Tensor> out;
  out.reserve(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) out.push_back(tensor_value(a.Get(k), i, name));
  return out;
}
c10::List<opt<at::Tensor>> opt_tensor_list_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsArray()) throw_type(where(i, name) + " must be an array of Tensors");
  Napi::Array a = info[i].As<Napi::Array>();
  c10::List<opt<at::Tensor>> out;
  for (uint32_t k = 0; k < a.Length(); k++) {
    Napi::Value v = a.Get(k);
    if (v.IsNull() || v.IsUndefined()) out.push_back(c10::nullopt);
    else out.push_back(tensor_value(v, i, name));
  }
  return out;
}
int64_t int_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length()) throw_type(where(i, name) + " is missing (expected an integer)");
  return to_int(info[i], i, name);
}
opt<int64_t> opt_int_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  return int_arg(info, i, name);
}
double double_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length()) throw_type(where(i, name) + " is missing (expected a number)");
  if (info[i].IsNumber()) return info[i].As<Napi::Number>().DoubleValue();
  if (info[i].IsBigInt()) return static_cast<double>(to_int(info[i], i, name));
  if (info[i].IsBoolean()) return info[i].As<Napi::Boolean>().Value() ? 1.0 : 0.0;
  throw_type(where(i, name) + " must be a number");
}
opt<double> opt_double_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  return double_arg(info, i, name);
}
bool bool_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length()) throw_type(where(i, name) + " is missing (expected a boolean)");
  if (info[i].IsBoolean()) return info[i].As<Napi::Boolean>().Value();
  if (info[i].IsNumber()) return info[i].As<Napi::Number>().DoubleValue() != 0;
  throw_type(where(i, name) + " must be a boolean");
}
opt<bool> opt_bool_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  return bool_arg(info, i, name);
}
std::vector<int64_t> int_list_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length()) throw_type(where(i, name) + " is missing (expected a list of integers)");
  Napi::Value v = info[i];
  if (v.IsNumber() || v.IsBigInt()) return {to_int(v, i, name)};
  if (!v.IsArray()) throw_type(where(i, name) + " must be an integer or a list of integers");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) out[k] = to_int(a.Get(k), i, name);
  return out;
}
opt<std::vector<int64_t>> opt_int_list_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  return int_list_arg(info, i, name);
}
std::vector<int64_t> fixed_int_list_arg(const Info& info, size_t i, const char* name, size_t n) {
  if (i < info.Length() && (info[i].IsNumber() || info[i].IsBigInt())) return std::vector<int64_t>(n, to_int(info[i], i, name));
  return int_list_arg(info, i, name);
}
opt<at::Layout> layout_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  if (info[i].IsNumber()) {
    double c = info[i].As<Napi::Number>().DoubleValue();
    if (c >= 0 && c <= static_cast<double>(at::kSparseBsc) && c == std::trunc(c)) return static_cast<at::Layout>(static_cast<int>(c));
  }
  if (info[i].IsString() && info[i].As<Napi::String>().Utf8Value() == "strided") return at::kStrided;
  throw_type(where(i, name) + " must be a torch.layout");
}
std::vector<double> double_list_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length()) throw_type(where(i, name) + " is missing (expected a list of numbers)");
  Napi::Value v = info[i];
  if (v.IsNumber()) return {v.As<Napi::Number>().DoubleValue()};
  if (!v.IsArray()) throw_type(where(i, name) + " must be a number or a list of numbers");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<double> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) {
    Napi::Value e = a.Get(k);
    if (!e.IsNumber()) throw_type(where(i, name) + " must contain only numbers");
    out[k] = e.As<Napi::Number>().DoubleValue();
  }
  return out;
}
at::Scalar scalar_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length()) throw_type(where(i, name) + " is missing (expected a number)");
  return scalar_of(info[i], i, name, " must be a number, a bigint or a boolean");
}
opt<at::Scalar> opt_scalar_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  return scalar_arg(info, i, name);
}
at::ScalarType dtype_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsNumber()) throw_type(where(i, name) + " must be a torch.dtype");
  double c = info[i].As<Napi::Number>().DoubleValue();
  if (!(c >= 0 && c < static_cast<double>(at::ScalarType::NumOptions)) || c != std::trunc(c))
    throw_type(where(i, name) + " is not a valid dtype");
  return static_cast<at::ScalarType>(static_cast<int>(c));
}
opt<at::ScalarType> opt_dtype_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  return dtype_arg(info, i, name);
}

at::Device parse_device(const std::string& s) {
  at::Device d(at::kCPU);
  try {
    d = at::Device(s);
  } catch (const c10::Error&) {
    throw_torch("unknown device '" + s + "': expected 'cpu', 'cuda', 'cuda:N' or another device libtorch knows");
  }
  if (d.is_cuda()) {
    int64_t n = at::hasCUDA() ? static_cast<int64_t>(at::detail::getCUDAHooks().getNumGPUs()) : 0;
    // PyTorch's messages (an AssertionError / RuntimeError there), naming the device asked for.
    // A CUDA build without devices: what CUDA's lazy initialization raises (c10's "Found no NVIDIA
    // driver on your system. ...", "The NVIDIA driver on your system is too old ..." or "No CUDA
    // GPUs are available").
#ifdef TN_WITH_CUDA
    if (n == 0) {
      std::string why = "No CUDA GPUs are available";
      try {
        c10::cuda::device_count_ensure_non_zero();
      } catch (const c10::Error& e) {
        why = e.what_without_backtrace();
      }
      throw_torch(why + " (device '" + s + "')");
    }
#else
    if (n == 0) throw_torch("Torch not compiled with CUDA enabled (device '" + s + "')");
#endif
    if (d.has_index() && d.index() >= n)
      throw_torch("CUDA error: invalid device ordinal: device '" + s + "', but only " + std::to_string(n) + " CUDA device(s)");
  }
  return d;
}
at::Device device_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsString()) throw_type(where(i, name) + " must be a device string");
  return parse_device(info[i].As<Napi::String>().Utf8Value());
}
opt<at::Device> opt_device_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  return device_arg(info, i, name);
}
opt<at::MemoryFormat> opt_memory_format_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  if (!info[i].IsNumber()) throw_type(where(i, name) + " must be a torch.memory_format");
  double c = info[i].As<Napi::Number>().DoubleValue();
  if (!(c >= 0 && c <= 3) || c != std::trunc(c)) throw_type(where(i, name) + " is not a valid memory_format");
  return static_cast<at::MemoryFormat>(static_cast<int>(c));
}
std::string string_arg(const Info& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsString()) throw_type(where(i, name) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}
opt<std::string> opt_string_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  return string_arg(info, i, name);
}

// ---------------------------------------------------------------- results
Napi::Value ret(napi_env env, const at::Tensor& t) {
  if (!t.defined()) return Napi::Env(env).Null();
  napi_value v;
  napi_create_int32(env, put(t), &v);
  return Napi::Value(env, v);
}
Napi::Value ret(napi_env env, const std::vector<at::Tensor>& ts) {
  Napi::Array a = Napi::Array::New(env, ts.size());
  for (size_t k = 0; k < ts.size(); k++) a.Set(static_cast<uint32_t>(k), ret(env, ts[k]));
  return a;
}
Napi::Value ret(napi_env env, bool v) { return Napi::Boolean::New(env, v); }
Napi::Value ret(napi_env env, int64_t v) { return Napi::Number::New(env, static_cast<double>(v)); }
Napi::Value ret(napi_env env, double v) { return Napi::Number::New(env, v); }
Napi::Value ret(napi_env env, at::ScalarType t) { return Napi::Number::New(env, static_cast<int>(t)); }
Napi::Value ret(napi_env env, const at::Scalar& s) {
  if (s.isBoolean()) return Napi::Boolean::New(env, s.toBool());
  if (s.isIntegral(false)) return Napi::Number::New(env, static_cast<double>(s.toLong()));
  return Napi::Number::New(env, s.toDouble());
}
Napi::Value ret(napi_env env, const std::vector<int64_t>& v) {
  Napi::Array a = Napi::Array::New(env, v.size());
  for (size_t k = 0; k < v.size(); k++) a.Set(static_cast<uint32_t>(k), Napi::Number::New(env, static_cast<double>(v[k])));
  return a;
}

}  // namespace tn
