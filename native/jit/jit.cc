// torch.jit (lib/jit/): TorchScript modules loaded with torch::jit::load, called with JS values,
// traced from JS functions, saved, frozen and optimized by libtorch's own JIT.
//
// Ownership and threading invariants:
// - A JS ScriptModule holds a type-tagged external owning a torch::jit::Module (a reference-counted
//   handle to one ivalue::Object); several externals may share one Object (submodules read twice),
//   and libtorch frees the Object with its last handle.
// - Values cross as IValues through one converter each way: to_ivalue (guided by the method's
//   schema type) and to_js. Tensors cross as handles in the registry (to_js registers them, so it
//   runs only on the JS thread); JS Tensor objects are recognised by the Tensor class handed over
//   once by _jit_init.
// - _jit_call_async copies everything it needs (the Module handle, the IValue stack) when queued;
//   the pool thread runs the method with that copy only. Methods of one Module may run
//   concurrently (libtorch's graph executors lock their own plan caches).
#include "../common/core.h"
#include "../common/state.h"
#include "../async/job.h"
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/import.h>
#include <torch/csrc/jit/serialization/python_print.h>
#include <torch/csrc/jit/frontend/tracer.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

namespace tn {

namespace {

const napi_type_tag kModTag = {0x6a69745f6d6f6431ULL, 0x4f1e2d3c5b6a7988ULL};

struct ModBox {
  torch::jit::Module m;
};

// JS classes and factories handed over by _jit_init, per JS thread (each env has its own).
struct JsCtx {
  napi_env env = nullptr;
  napi_ref tensor_ctor = nullptr;  // the Tensor class (instanceof checks)
  napi_ref wrap_tensor = nullptr;  // (handle) -> Tensor
  napi_ref wrap_module = nullptr;  // (external) -> ScriptModule
};
thread_local JsCtx g_ctx;

JsCtx& ctx(napi_env env) {
  if (g_ctx.env != env || !g_ctx.tensor_ctor) throw_torch("torch.jit is not initialised on this thread (lib/jit did not call _jit_init)");
  return g_ctx;
}

Napi::Value wrap_mod(napi_env env, torch::jit::Module m) {
  Napi::Value v = owned_external(env, new ModBox{std::move(m)});
  napi_type_tag_object(env, v, &kModTag);
  return v;
}

bool is_mod(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_external) return false;
  bool ok = false;
  napi_check_object_type_tag(env, v, &kModTag, &ok);
  return ok;
}

torch::jit::Module& mod_of(napi_env env, napi_value v, const char* what) {
  if (!is_mod(env, v)) throw_type(std::string("argument '") + what + "' must be a ScriptModule");
  void* data = nullptr;
  napi_get_value_external(env, v, &data);
  return static_cast<ModBox*>(data)->m;
}

torch::jit::Module& mod_arg(const Info& info, size_t i) {
  if (i >= info.Length()) throw_type("argument 'self' must be a ScriptModule");
  return mod_of(info.Env(), info[i], "self");
}

// ---------------------------------------------------------------- JS -> IValue

// A JS Map, from any realm (a vm context has its own Map constructor, so instanceof cannot tell).
bool is_map(const Napi::Value& v) {
  if (!v.IsObject()) return false;
  Napi::Value c = v.As<Napi::Object>().Get("constructor");
  if (!c.IsFunction()) return false;
  Napi::Value n = c.As<Napi::Object>().Get("name");
  return n.IsString() && n.As<Napi::String>().Utf8Value() == "Map" && v.As<Napi::Object>().Get("entries").IsFunction();
}

struct ToIValue {
  napi_env env;
  napi_value tensor_ctor;
  std::string fn_name;  // for messages: "forward"

  bool is_tensor(const Napi::Value& v) const {
    if (!v.IsObject()) return false;
    bool r = false;
    napi_instanceof(env, v, tensor_ctor, &r);
    return r;
  }
  std::string describe(const Napi::Value& v) const {
    if (is_tensor(v)) return "Tensor";
    if (v.IsNull() || v.IsUndefined()) return "NoneType";
    if (v.IsBoolean()) return "bool";
    if (v.IsNumber()) {
      double d = v.As<Napi::Number>().DoubleValue();
      return std::isfinite(d) && std::floor(d) == d ? "int" : "float";
    }
    if (v.IsBigInt()) return "int";
    if (v.IsString()) return "str";
    if (v.IsArray()) return "list";
    if (v.IsFunction() || v.IsObject()) {
      Napi::Value c = v.As<Napi::Object>().Get("_c");
      if (is_mod(env, c)) return "ScriptModule";
      if (is_map(v)) return "Map";
      return "object";
    }
    return "object";
  }
  [[noreturn]] void mismatch(const c10::TypePtr& t, const Napi::Value& v, const std::string& arg) const {
    throw_torch(fn_name + "() Expected a value of type '" + t->annotation_str() + "' for argument '" + arg +
                "' but instead found type '" + describe(v) + "'.");
  }
  at::Tensor tensor_of(const Napi::Value& v) const {
    Napi::Value h = v.As<Napi::Object>().Get("_h");
    if (!h.IsNumber()) throw_torch("a Tensor without a handle");
    return tensor_value(h, 0, "_h");
  }
  static bool integral(double d) { return std::isfinite(d) && std::floor(d) == d; }

  // The IValue for v when the expected type is unknown (Any, or an argument past the schema's end).
  c10::IValue infer(const Napi::Value& v, const std::string& arg) const {
    if (v.IsNull() || v.IsUndefined()) return c10::IValue();
    if (v.IsBoolean()) return v.As<Napi::Boolean>().Value();
    if (v.IsNumber()) {
      double d = v.As<Napi::Number>().DoubleValue();
      if (integral(d) && std::fabs(d) < 9007199254740992.0) return static_cast<int64_t>(d);
      return d;
    }
    if (v.IsBigInt()) {
      bool lossless = false;
      return v.As<Napi::BigInt>().Int64Value(&lossless);
    }
    if (v.IsString()) return v.As<Napi::String>().Utf8Value();
    if (is_tensor(v)) return tensor_of(v);
    if (v.IsArray()) {
      Napi::Array a = v.As<Napi::Array>();
      std::vector<c10::IValue> xs;
      for (uint32_t k = 0; k < a.Length(); k++) xs.push_back(infer(a.Get(k), arg));
      if (xs.empty()) return c10::IValue(c10::impl::GenericList(c10::TensorType::get()));
      c10::TypePtr t = xs[0].type();
      bool same = true;
      for (auto& x : xs) same = same && (*x.type() == *t);
      if (!same) return c10::ivalue::Tuple::create(std::move(xs));
      c10::impl::GenericList l(t);
      for (auto& x : xs) l.push_back(std::move(x));
      return l;
    }
    if (v.IsObject() || v.IsFunction()) {
      Napi::Value c = v.As<Napi::Object>().Get("_c");
      if (is_mod(env, c)) return mod_of(env, c, arg.c_str())._ivalue();
    }
    if (v.IsObject()) {
      Napi::Object o = v.As<Napi::Object>();
      Napi::Array keys = o.GetPropertyNames();
      c10::TypePtr vt = nullptr;
      std::vector<std::pair<std::string, c10::IValue>> kv;
      for (uint32_t k = 0; k < keys.Length(); k++) {
        std::string key = keys.Get(k).ToString().Utf8Value();
        c10::IValue x = infer(o.Get(key), arg);
        if (!vt) vt = x.type();
        else if (!(*x.type() == *vt)) vt = c10::AnyType::get();
        kv.emplace_back(key, std::move(x));
      }
      c10::impl::GenericDict d(c10::StringType::get(), vt ? vt : c10::TensorType::get());
      for (auto& [key, x] : kv) d.insert(key, std::move(x));
      return d;
    }
    throw_torch(fn_name + "(): cannot convert argument '" + arg + "' of type '" + describe(v) + "' to a TorchScript value");
  }

  c10::IValue key_of(const std::string& s, const c10::TypePtr& kt, const Napi::Value& orig, const std::string& arg) const {
    switch (kt->kind()) {
      case c10::TypeKind::StringType: return s;
      case c10::TypeKind::IntType: {
        char* end = nullptr;
        long long x = std::strtoll(s.c_str(), &end, 10);
        if (s.empty() || *end) mismatch(kt, orig, arg + " key");
        return static_cast<int64_t>(x);
      }
      case c10::TypeKind::FloatType: {
        char* end = nullptr;
        double x = std::strtod(s.c_str(), &end);
        if (s.empty() || *end) mismatch(kt, orig, arg + " key");
        return x;
      }
      case c10::TypeKind::BoolType:
        if (s == "true") return true;
        if (s == "false") return false;
        mismatch(kt, orig, arg + " key");
      default: mismatch(kt, orig, arg + " key");
    }
  }

  c10::IValue convert(const Napi::Value& v, const c10::TypePtr& t, const std::string& arg) const {
    using K = c10::TypeKind;
    switch (t->kind()) {
      case K::AnyType: return infer(v, arg);
      case K::TensorType:
        if (!is_tensor(v)) mismatch(t, v, arg);
        return tensor_of(v);
      case K::IntType:
        if (v.IsNumber()) {
          double d = v.As<Napi::Number>().DoubleValue();
          if (!integral(d)) mismatch(t, v, arg);
          return static_cast<int64_t>(d);
        }
        if (v.IsBigInt()) {
          bool lossless = false;
          int64_t x = v.As<Napi::BigInt>().Int64Value(&lossless);
          if (!lossless) throw_torch(fn_name + "(): argument '" + arg + "' does not fit in int64");
          return x;
        }
        if (v.IsBoolean()) return static_cast<int64_t>(v.As<Napi::Boolean>().Value());
        mismatch(t, v, arg);
      case K::FloatType:
        if (v.IsNumber()) return v.As<Napi::Number>().DoubleValue();
        if (v.IsBigInt()) {
          bool lossless = false;
          return static_cast<double>(v.As<Napi::BigInt>().Int64Value(&lossless));
        }
        mismatch(t, v, arg);
      case K::NumberType:
        if (v.IsNumber() || v.IsBigInt() || v.IsBoolean()) return infer(v, arg);
        mismatch(t, v, arg);
      case K::BoolType:
        if (!v.IsBoolean()) mismatch(t, v, arg);
        return v.As<Napi::Boolean>().Value();
      case K::StringType:
        if (!v.IsString()) mismatch(t, v, arg);
        return v.As<Napi::String>().Utf8Value();
      case K::NoneType:
        if (!(v.IsNull() || v.IsUndefined())) mismatch(t, v, arg);
        return c10::IValue();
      case K::DeviceObjType:
        if (v.IsString()) return parse_device(v.As<Napi::String>().Utf8Value());
        if (v.IsObject()) return parse_device(v.ToString().Utf8Value());
        mismatch(t, v, arg);
      case K::OptionalType:
        if (v.IsNull() || v.IsUndefined()) return c10::IValue();
        return convert(v, t->expectRef<c10::OptionalType>().getElementType(), arg);
      case K::ListType: {
        if (!v.IsArray()) mismatch(t, v, arg);
        c10::TypePtr et = t->expectRef<c10::ListType>().getElementType();
        Napi::Array a = v.As<Napi::Array>();
        c10::impl::GenericList l(et);
        l.reserve(a.Length());
        for (uint32_t k = 0; k < a.Length(); k++) l.push_back(convert(a.Get(k), et, arg + "[" + std::to_string(k) + "]"));
        return l;
      }
      case K::TupleType: {
        const auto& tt = t->expectRef<c10::TupleType>();
        auto elems = tt.elements();
        std::vector<c10::IValue> xs;
        if (v.IsArray()) {
          Napi::Array a = v.As<Napi::Array>();
          if (a.Length() != elems.size()) mismatch(t, v, arg);
          for (uint32_t k = 0; k < a.Length(); k++) xs.push_back(convert(a.Get(k), elems[k], arg + "[" + std::to_string(k) + "]"));
        } else if (tt.schema() && v.IsObject() && !is_tensor(v)) {
          // a NamedTuple given as {field: value}
          Napi::Object o = v.As<Napi::Object>();
          const auto& args = tt.schema()->arguments();
          for (size_t k = 0; k < elems.size(); k++) xs.push_back(convert(o.Get(args[k].name()), elems[k], arg + "." + args[k].name()));
        } else {
          mismatch(t, v, arg);
        }
        if (tt.schema()) return c10::ivalue::Tuple::createNamed(std::move(xs), t->expect<c10::TupleType>());
        return c10::ivalue::Tuple::create(std::move(xs));
      }
      case K::DictType: {
        const auto& dt = t->expectRef<c10::DictType>();
        c10::TypePtr kt = dt.getKeyType(), vt = dt.getValueType();
        c10::impl::GenericDict d(kt, vt);
        if (!v.IsObject() || v.IsArray() || is_tensor(v)) mismatch(t, v, arg);
        Napi::Object o = v.As<Napi::Object>();
        if (is_map(v)) {
          Napi::Function entries = o.Get("entries").As<Napi::Function>();
          Napi::Object it = entries.Call(o, {}).As<Napi::Object>();
          Napi::Function next = it.Get("next").As<Napi::Function>();
          for (;;) {
            Napi::Object r = next.Call(it, {}).As<Napi::Object>();
            if (r.Get("done").ToBoolean().Value()) break;
            Napi::Array kv = r.Get("value").As<Napi::Array>();
            d.insert_or_assign(convert(kv.Get(0u), kt, arg + " key"), convert(kv.Get(1u), vt, arg + " value"));
          }
        } else {
          Napi::Array keys = o.GetPropertyNames();
          for (uint32_t k = 0; k < keys.Length(); k++) {
            std::string key = keys.Get(k).ToString().Utf8Value();
            d.insert_or_assign(key_of(key, kt, v, arg), convert(o.Get(key), vt, arg + "['" + key + "']"));
          }
        }
        return d;
      }
      case K::UnionType: {
        for (const auto& alt : t->expectRef<c10::UnionType>().containedTypes()) {
          try {
            return convert(v, alt, arg);
          } catch (const std::exception&) {
          }
        }
        mismatch(t, v, arg);
      }
      case K::ClassType:
      case K::InterfaceType: {
        if (v.IsObject() || v.IsFunction()) {
          Napi::Value c = v.As<Napi::Object>().Get("_c");
          if (is_mod(env, c)) return mod_of(env, c, arg.c_str())._ivalue();
        }
        mismatch(t, v, arg);
      }
      default:
        return infer(v, arg);
    }
  }
};

ToIValue converter(napi_env env, std::string fn) {
  JsCtx& c = ctx(env);
  napi_value tc;
  napi_get_reference_value(env, c.tensor_ctor, &tc);
  return ToIValue{env, tc, std::move(fn)};
}

// ---------------------------------------------------------------- IValue -> JS

Napi::Value call_ref(napi_env env, napi_ref ref, napi_value arg) {
  napi_value fn, out;
  napi_get_reference_value(env, ref, &fn);
  napi_value undef;
  napi_get_undefined(env, &undef);
  if (napi_call_function(env, undef, fn, 1, &arg, &out) != napi_ok) throw Napi::Error(env, Napi::Value());
  return Napi::Value(env, out);
}

Napi::Value to_js(napi_env env, const c10::IValue& v) {
  Napi::Env e(env);
  if (v.isNone()) return e.Null();
  if (v.isTensor()) {
    const at::Tensor& t = v.toTensor();
    if (!t.defined()) return e.Null();
    return call_ref(env, ctx(env).wrap_tensor, Napi::Number::New(env, put(t)));
  }
  if (v.isBool()) return Napi::Boolean::New(env, v.toBool());
  if (v.isInt()) return Napi::Number::New(env, static_cast<double>(v.toInt()));
  if (v.isDouble()) return Napi::Number::New(env, v.toDouble());
  if (v.isString()) return Napi::String::New(env, v.toStringRef());
  if (v.isDevice()) return Napi::String::New(env, v.toDevice().str());
  if (v.isList()) {
    auto l = v.toListRef();
    Napi::Array a = Napi::Array::New(env, l.size());
    for (size_t k = 0; k < l.size(); k++) a.Set(static_cast<uint32_t>(k), to_js(env, l[k]));
    return a;
  }
  if (v.isTuple()) {
    const auto& xs = v.toTupleRef().elements();
    Napi::Array a = Napi::Array::New(env, xs.size());
    for (size_t k = 0; k < xs.size(); k++) a.Set(static_cast<uint32_t>(k), to_js(env, xs[k]));
    return a;
  }
  if (v.isGenericDict()) {
    auto d = v.toGenericDict();
    bool str_keys = d.keyType()->kind() == c10::TypeKind::StringType;
    if (str_keys) {
      Napi::Object o = Napi::Object::New(env);
      for (const auto& kv : d) o.Set(kv.key().toStringRef(), to_js(env, kv.value()));
      return o;
    }
    Napi::Function map_ctor = e.Global().Get("Map").As<Napi::Function>();
    Napi::Object m = map_ctor.New({});
    Napi::Function set = m.Get("set").As<Napi::Function>();
    for (const auto& kv : d) set.Call(m, {to_js(env, kv.key()), to_js(env, kv.value())});
    return m;
  }
  if (v.isObject()) {
    return call_ref(env, ctx(env).wrap_module, wrap_mod(env, torch::jit::Module(v.toObject())));
  }
  throw_torch("torch.jit: a value of TorchScript type '" + v.type()->annotation_str() +
              "' cannot be converted to a JS value");
}

// ---------------------------------------------------------------- calls

// Builds the stack (without self) and kwargs for `method` from JS args and an optional kwargs
// object, converting each value with its schema argument's type.
void build_inputs(napi_env env, const torch::jit::Method& method, const Napi::Array& args, const Napi::Value& kw,
                  std::vector<c10::IValue>& stack, torch::jit::Kwargs& kwargs) {
  const c10::FunctionSchema& schema = method.function().getSchema();
  const auto& sargs = schema.arguments();
  ToIValue cv = converter(env, method.name());
  // Too many arguments: converted as they are, so that libtorch's schema check reports the count.
  bool too_many = args.Length() + 1 > sargs.size();
  for (uint32_t k = 0; k < args.Length(); k++) {
    size_t si = k + 1;  // arguments()[0] is self
    Napi::Value a = args.Get(k);
    if (!too_many) stack.push_back(cv.convert(a, sargs[si].type(), sargs[si].name()));
    else stack.push_back(cv.infer(a, "#" + std::to_string(k)));
  }
  if (kw.IsObject()) {
    Napi::Object o = kw.As<Napi::Object>();
    Napi::Array keys = o.GetPropertyNames();
    for (uint32_t k = 0; k < keys.Length(); k++) {
      std::string key = keys.Get(k).ToString().Utf8Value();
      auto idx = schema.argumentIndexWithName(key);
      if (!idx || *idx == 0)
        throw_torch(method.name() + "() got an unexpected keyword argument '" + key + "'. Declaration: " + toString(schema));
      kwargs[key] = cv.convert(o.Get(key), sargs[*idx].type(), key);
    }
  }
}

torch::jit::Method method_of(torch::jit::Module& m, const std::string& name) {
  auto mm = m.find_method(name);
  if (!mm) throw_torch("'" + m.type()->name()->qualifiedName() + "' object has no attribute or method '" + name + "'");
  return *mm;
}

// Runs `name` on the libuv pool with the inputs converted on the JS thread.
class CallJob : public Job {
 public:
  CallJob(Napi::Function cb, torch::jit::Module m, std::string name, std::vector<c10::IValue> stack,
          torch::jit::Kwargs kwargs, bool grad)
      : Job(cb), m_(std::move(m)), name_(std::move(name)), stack_(std::move(stack)), kwargs_(std::move(kwargs)), grad_(grad) {}

 protected:
  void Run() override {
    c10::AutoGradMode gm(grad_);
    torch::jit::Method method = method_of(m_, name_);
    out_ = method(std::move(stack_), kwargs_);
    stack_.clear();
    kwargs_.clear();
  }
  Napi::Value Result(Napi::Env env) override {
    Napi::Value r = to_js(env, out_);
    out_ = c10::IValue();
    return r;
  }

 private:
  torch::jit::Module m_;
  std::string name_;
  std::vector<c10::IValue> stack_;
  torch::jit::Kwargs kwargs_;
  bool grad_;
  c10::IValue out_;
};

opt<c10::Device> opt_device(const Info& info, size_t i) {
  if (is_nullish(info, i)) return c10::nullopt;
  return parse_device(string_arg(info, i, "map_location"));
}

Napi::Value names_and(napi_env env, const std::vector<std::string>& names, Napi::Array vals) {
  Napi::Array out = Napi::Array::New(env, 2);
  Napi::Array n = Napi::Array::New(env, names.size());
  for (size_t k = 0; k < names.size(); k++) n.Set(static_cast<uint32_t>(k), names[k]);
  out.Set(0u, n);
  out.Set(1u, vals);
  return out;
}

}  // namespace

// [sync] _jit_init(Tensor class, wrapTensor(handle) -> Tensor, wrapModule(external) -> ScriptModule):
// hands lib/jit's classes to the converter for this thread. Throws TypeError for non-functions.
TN_FN_NOROLL(_jit_init) {
  napi_env env = info.Env();
  for (size_t i = 0; i < 3; i++)
    if (i >= info.Length() || !info[i].IsFunction()) throw_type("_jit_init: expects three functions");
  JsCtx& c = g_ctx;
  if (c.env == env) {
    for (napi_ref r : {c.tensor_ctor, c.wrap_tensor, c.wrap_module})
      if (r) napi_delete_reference(env, r);
  }
  c.env = env;
  napi_create_reference(env, info[0], 1, &c.tensor_ctor);
  napi_create_reference(env, info[1], 1, &c.wrap_tensor);
  napi_create_reference(env, info[2], 1, &c.wrap_module);
  return info.Env().Undefined();
}

// [sync] _jit_load(path | Uint8Array, map_location | null, extra_file_names[] | null) ->
// [module external, {name: contents (string)}]. Throws TorchError for a missing, corrupt or
// non-TorchScript file (libtorch's message).
TN_FN_NOROLL(_jit_load) {
  napi_env env = info.Env();
  opt<c10::Device> dev = opt_device(info, 1);
  torch::jit::ExtraFilesMap extra;
  if (!is_nullish(info, 2)) {
    if (!info[2].IsArray()) throw_type("argument '_extra_files' must be a list of names");
    Napi::Array a = info[2].As<Napi::Array>();
    for (uint32_t k = 0; k < a.Length(); k++) extra[a.Get(k).ToString().Utf8Value()] = "";
  }
  torch::jit::Module m;
  if (info.Length() > 0 && info[0].IsTypedArray()) {
    TypedArrayView ta = typed_array_arg(info, 0, "f");
    std::string bytes(static_cast<const char*>(ta.data), ta.byte_length);
    std::istringstream in(bytes);
    m = torch::jit::load(in, dev, extra);
  } else {
    std::string path = string_arg(info, 0, "f");
    {
      std::ifstream probe(path, std::ios::binary);
      if (!probe) throw_torch("torch.jit.load: cannot open '" + path + "': " + std::strerror(errno));
    }
    m = torch::jit::load(path, dev, extra);
  }
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, wrap_mod(env, std::move(m)));
  Napi::Object files = Napi::Object::New(env);
  for (const auto& kv : extra) files.Set(kv.first, Napi::Buffer<char>::Copy(env, kv.second.data(), kv.second.size()));
  out.Set(1u, files);
  return out;
}

// [sync] _jit_members(m) -> {type, training, parameters: [names, handles], buffers: [names,
// handles], children: [names, externals], attributes: names, methods: names}: the module's own
// members (not its descendants'), in slot order as PyTorch's RecursiveScriptModule lists them.
TN_FN(_jit_members) {
  napi_env env = info.Env();
  torch::jit::Module& m = mod_arg(info, 0);
  Napi::Object o = Napi::Object::New(env);
  const auto& type = m.type();
  o.Set("type", type->name() ? type->name()->qualifiedName() : std::string("ScriptObject"));
  o.Set("is_module", type->is_module());
  o.Set("training", type->is_module() ? m.is_training() : false);
  std::vector<std::string> pn, bn, cn, an;
  Napi::Array ph = Napi::Array::New(env), bh = Napi::Array::New(env), ch = Napi::Array::New(env);
  for (size_t i = 0; i < type->numAttributes(); i++) {
    const std::string name = type->getAttributeName(i);
    const c10::IValue& val = m._ivalue()->getSlot(i);
    if (type->is_module() && type->is_parameter(i)) {
      if (!val.isTensor()) continue;  // a parameter set to None
      ph.Set(static_cast<uint32_t>(pn.size()), ret(env, val.toTensor()));
      pn.push_back(name);
    } else if (type->is_module() && type->is_buffer(i)) {
      if (!val.isTensor()) continue;
      bh.Set(static_cast<uint32_t>(bn.size()), ret(env, val.toTensor()));
      bn.push_back(name);
    } else if (val.isObject() && val.toObjectRef().type()->is_module()) {
      ch.Set(static_cast<uint32_t>(cn.size()), wrap_mod(env, torch::jit::Module(val.toObject())));
      cn.push_back(name);
    } else if (name != "training") {
      an.push_back(name);
    }
  }
  o.Set("parameters", names_and(env, pn, ph));
  o.Set("buffers", names_and(env, bn, bh));
  o.Set("children", names_and(env, cn, ch));
  Napi::Array attrs = Napi::Array::New(env, an.size());
  for (size_t k = 0; k < an.size(); k++) attrs.Set(static_cast<uint32_t>(k), an[k]);
  o.Set("attributes", attrs);
  const auto& methods = type->methods();
  Napi::Array mn = Napi::Array::New(env, methods.size());
  for (size_t k = 0; k < methods.size(); k++) mn.Set(static_cast<uint32_t>(k), methods[k]->name());
  o.Set("methods", mn);
  return o;
}

// [sync] _jit_call(m, name, args[], kwargs | null) -> the method's result as JS values. Throws
// TorchError for a missing method, a value that does not fit the schema (libtorch's schema
// message), or an error raised while running.
TN_FN(_jit_call) {
  napi_env env = info.Env();
  torch::jit::Module& m = mod_arg(info, 0);
  std::string name = string_arg(info, 1, "name");
  if (info.Length() < 3 || !info[2].IsArray()) throw_type("argument 'args' must be an array");
  torch::jit::Method method = method_of(m, name);
  std::vector<c10::IValue> stack;
  torch::jit::Kwargs kwargs;
  build_inputs(env, method, info[2].As<Napi::Array>(), info[3], stack, kwargs);
  c10::IValue out = method(std::move(stack), kwargs);
  return to_js(env, out);
}

// [async] _jit_call_async(m, name, args[], kwargs | null, grad_enabled, callback(err, value)):
// converts the inputs now (TorchError/TypeError thrown synchronously), runs the method on the
// libuv pool; errors while running reach the callback as TorchError.
TN_FN_NOROLL(_jit_call_async) {
  napi_env env = info.Env();
  torch::jit::Module& m = mod_arg(info, 0);
  std::string name = string_arg(info, 1, "name");
  if (info.Length() < 3 || !info[2].IsArray()) throw_type("argument 'args' must be an array");
  torch::jit::Method method = method_of(m, name);
  std::vector<c10::IValue> stack;
  torch::jit::Kwargs kwargs;
  build_inputs(env, method, info[2].As<Napi::Array>(), info[3], stack, kwargs);
  bool grad = bool_arg(info, 4, "grad_enabled");
  if (info.Length() < 6 || !info[5].IsFunction()) throw_type("argument 'callback' must be a function");
  auto* job = new CallJob(info[5].As<Napi::Function>(), m, name, std::move(stack), std::move(kwargs), grad);
  job->Queue();
  return info.Env().Undefined();
}

// [sync] _jit_schema(m, name) -> the method's schema text. Throws TorchError for a missing method.
TN_FN_NOROLL(_jit_schema) {
  torch::jit::Module& m = mod_arg(info, 0);
  return Napi::String::New(info.Env(), toString(method_of(m, string_arg(info, 1, "name")).function().getSchema()));
}

// [sync] _jit_getattr(m, name) -> the attribute's value as JS values. TorchError when absent.
TN_FN(_jit_getattr) {
  torch::jit::Module& m = mod_arg(info, 0);
  std::string name = string_arg(info, 1, "name");
  if (!m.hasattr(name)) throw_torch("'" + m.type()->name()->qualifiedName() + "' object has no attribute '" + name + "'");
  return to_js(info.Env(), m.attr(name));
}

// [sync] _jit_setattr(m, name, value): sets an existing attribute, converting value to its
// declared type. TorchError when absent or when the value does not fit the type.
TN_FN_NOROLL(_jit_setattr) {
  torch::jit::Module& m = mod_arg(info, 0);
  std::string name = string_arg(info, 1, "name");
  auto slot = m.type()->findAttributeSlot(name);
  if (!slot) throw_torch("'" + m.type()->name()->qualifiedName() + "' object has no attribute '" + name + "'");
  ToIValue cv = converter(info.Env(), "setattr");
  m.setattr(name, cv.convert(info[2], m.type()->getAttribute(*slot), name));
  return info.Env().Undefined();
}

// [sync] _jit_train(m, mode): train()/eval() on the module and its descendants.
TN_FN_NOROLL(_jit_train) {
  mod_arg(info, 0).train(bool_arg(info, 1, "mode"));
  return info.Env().Undefined();
}

// [sync] _jit_is_training(m) -> bool.
TN_FN_NOROLL(_jit_is_training) { return ret(info.Env(), mod_arg(info, 0).is_training()); }

// [sync] _jit_to(m, device | null, dtype | null, non_blocking): moves/casts parameters and buffers
// in place (their tensors keep their identity; floating ones change dtype).
TN_FN_NOROLL(_jit_to) {
  torch::jit::Module& m = mod_arg(info, 0);
  opt<at::Device> dev = opt_device_arg(info, 1, "device");
  opt<at::ScalarType> dt = opt_dtype_arg(info, 2, "dtype");
  bool nb = is_nullish(info, 3) ? false : bool_arg(info, 3, "non_blocking");
  if (dev && dt) m.to(*dev, *dt, nb);
  else if (dev) m.to(*dev, nb);
  else if (dt) m.to(*dt, nb);
  return info.Env().Undefined();
}

// [sync] _jit_code(m, name) -> the method's TorchScript source (PyTorch's `.code`).
TN_FN_NOROLL(_jit_code) {
  torch::jit::Module& m = mod_arg(info, 0);
  torch::jit::Method method = method_of(m, string_arg(info, 1, "name"));
  std::vector<c10::IValue> constants;
  torch::jit::PrintDepsTable deps;
  torch::jit::PythonPrint pp(constants, deps);
  pp.printMethod(method.function());
  return Napi::String::New(info.Env(), pp.str());
}

// [sync] _jit_graph(m, name, inlined) -> the method's graph IR text (`.graph` / `.inlined_graph`).
TN_FN_NOROLL(_jit_graph) {
  torch::jit::Module& m = mod_arg(info, 0);
  torch::jit::Method method = method_of(m, string_arg(info, 1, "name"));
  std::shared_ptr<torch::jit::Graph> g = method.graph();
  if (!is_nullish(info, 2) && bool_arg(info, 2, "inlined")) {
    g = g->copy();
    torch::jit::Inline(*g);
  }
  return Napi::String::New(info.Env(), g->toString());
}

// [sync] _jit_save(m, path | null, extra_files {name: string|Uint8Array} | null) -> undefined, or
// a Buffer with the archive when path is null. Throws TorchError when the file cannot be written.
TN_FN_NOROLL(_jit_save) {
  napi_env env = info.Env();
  torch::jit::Module& m = mod_arg(info, 0);
  torch::jit::ExtraFilesMap extra;
  if (!is_nullish(info, 2)) {
    Napi::Object o = info[2].As<Napi::Object>();
    Napi::Array keys = o.GetPropertyNames();
    for (uint32_t k = 0; k < keys.Length(); k++) {
      std::string key = keys.Get(k).ToString().Utf8Value();
      Napi::Value v = o.Get(key);
      if (v.IsTypedArray()) {
        TypedArrayView ta = typed_array_value(env, v, 2, "_extra_files");
        extra[key] = std::string(static_cast<const char*>(ta.data), ta.byte_length);
      } else {
        extra[key] = v.ToString().Utf8Value();
      }
    }
  }
  if (is_nullish(info, 1)) {
    std::ostringstream out;
    m.save(out, extra);
    std::string s = out.str();
    return Napi::Buffer<char>::Copy(env, s.data(), s.size());
  }
  std::string path = string_arg(info, 1, "f");
  {
    std::ofstream probe(path, std::ios::binary | std::ios::app);
    if (!probe) throw_torch("torch.jit.save: cannot open '" + path + "' for writing: " + std::strerror(errno));
  }
  m.save(path, extra);
  return info.Env().Undefined();
}

// [sync] _jit_freeze(m, preserved_attrs[] | null, optimize_numerics) -> a new frozen module.
// TorchError for a module in training mode (libtorch's check).
TN_FN_NOROLL(_jit_freeze) {
  torch::jit::Module& m = mod_arg(info, 0);
  opt<std::vector<std::string>> keep;
  if (!is_nullish(info, 1)) {
    if (!info[1].IsArray()) throw_type("argument 'preserved_attrs' must be a list of names");
    Napi::Array a = info[1].As<Napi::Array>();
    std::vector<std::string> names;
    for (uint32_t k = 0; k < a.Length(); k++) names.push_back(a.Get(k).ToString().Utf8Value());
    keep = names;
  }
  bool num = is_nullish(info, 2) ? true : bool_arg(info, 2, "optimize_numerics");
  if (m.is_training()) throw_torch("torch.jit.freeze: freezing is currently only implemented for modules in eval mode. Please call .eval() on your module before freezing.");
  return wrap_mod(info.Env(), torch::jit::freeze(m, keep, num));
}

// [sync] _jit_optimize_for_inference(m, other_methods[] | null) -> a new frozen, optimized module.
TN_FN_NOROLL(_jit_optimize_for_inference) {
  torch::jit::Module& m = mod_arg(info, 0);
  std::vector<std::string> other;
  if (!is_nullish(info, 1)) {
    Napi::Array a = info[1].As<Napi::Array>();
    for (uint32_t k = 0; k < a.Length(); k++) other.push_back(a.Get(k).ToString().Utf8Value());
  }
  torch::jit::Module c = m;
  if (c.is_training()) throw_torch("torch.jit.optimize_for_inference: the module must be in eval mode; call .eval() first");
  return wrap_mod(info.Env(), torch::jit::optimize_for_inference(c, other));
}

// [sync] _jit_set_fusion_strategy([[kind 'STATIC'|'DYNAMIC', depth], ...]) -> the previous
// strategy in the same form.
TN_FN_NOROLL(_jit_set_fusion_strategy) {
  napi_env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) throw_type("argument 'strategy' must be a list of (type, depth) pairs");
  Napi::Array a = info[0].As<Napi::Array>();
  torch::jit::FusionStrategy s;
  for (uint32_t k = 0; k < a.Length(); k++) {
    Napi::Value e = a.Get(k);
    if (!e.IsArray() || e.As<Napi::Array>().Length() != 2) throw_type("set_fusion_strategy: each entry must be a (type, depth) pair");
    Napi::Array p = e.As<Napi::Array>();
    std::string kind = p.Get(0u).ToString().Utf8Value();
    double depth = p.Get(1u).ToNumber().DoubleValue();
    if (kind != "STATIC" && kind != "DYNAMIC") throw_torch("set_fusion_strategy: type must be 'STATIC' or 'DYNAMIC', got '" + kind + "'");
    if (!(depth >= 0) || std::floor(depth) != depth) throw_range("set_fusion_strategy: depth must be a non-negative integer");
    s.emplace_back(kind == "STATIC" ? torch::jit::FusionBehavior::STATIC : torch::jit::FusionBehavior::DYNAMIC, static_cast<size_t>(depth));
  }
  torch::jit::FusionStrategy old = torch::jit::setFusionStrategy(s);
  Napi::Array out = Napi::Array::New(env, old.size());
  for (size_t k = 0; k < old.size(); k++) {
    Napi::Array p = Napi::Array::New(env, 2);
    p.Set(0u, old[k].first == torch::jit::FusionBehavior::STATIC ? "STATIC" : "DYNAMIC");
    p.Set(1u, Napi::Number::New(env, static_cast<double>(old[k].second)));
    out.Set(static_cast<uint32_t>(k), p);
  }
  return out;
}

// [sync] _jit_trace(fn, inputs[], state_names[], state_tensors[], state_is_param[], [tuple_out],
// strict, module_paths [[path, class name]] | null) -> module external.
// Calls fn() once under libtorch's tracer with `inputs` and the state tensors as graph inputs; fn
// returns an array of tensor handles (the outputs) and sets tuple_out[0] when they form a tuple.
// Builds a module whose class is '__torch__.<class name>' (path "" is the root; default
// TracedModule), with a submodule per entry of module_paths and per dotted prefix of a state name,
// the state tensors as its parameters/buffers, and forward(self, *inputs) replaying the trace with
// the state read by GetAttr, returning a tuple or the one output. Throws what fn throws, or
// TorchError from the tracer.
TN_FN(_jit_trace) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsFunction()) throw_type("argument 'func' must be a function");
  Napi::Function fn = info[0].As<Napi::Function>();
  std::vector<at::Tensor> ins = tensor_list_arg(info, 1, "example_inputs");
  if (info.Length() < 5 || !info[2].IsArray() || !info[4].IsArray()) throw_type("_jit_trace: state names and flags must be arrays");
  Napi::Array snames = info[2].As<Napi::Array>();
  std::vector<at::Tensor> state = tensor_list_arg(info, 3, "state");
  Napi::Array sparam = info[4].As<Napi::Array>();
  if (!info[5].IsArray()) throw_type("_jit_trace: tuple_out must be a one-element array");
  Napi::Array tuple_flag = info[5].As<Napi::Array>();  // set by fn while it runs
  bool strict = bool_arg(info, 6, "strict");
  if (snames.Length() != state.size() || sparam.Length() != state.size()) throw_type("_jit_trace: state names, tensors and flags differ in length");
  std::vector<at::Tensor> all = ins;
  all.insert(all.end(), state.begin(), state.end());
  for (size_t a = 0; a < all.size(); a++)
    for (size_t b = a + 1; b < all.size(); b++)
      if (all[a].unsafeGetTensorImpl() == all[b].unsafeGetTensorImpl())
        throw_torch("torch.jit.trace: the same tensor is passed twice as an input or state (" + std::to_string(a) + " and " + std::to_string(b) + ")");
  torch::jit::Stack inputs(all.begin(), all.end());
  auto body = [&](torch::jit::Stack) -> torch::jit::Stack {
    napi_value result;
    if (napi_call_function(env, env.Undefined(), fn, 0, nullptr, &result) != napi_ok)
      throw std::runtime_error("the traced function threw");  // the JS exception stays pending
    Napi::Value r(env, result);
    if (!r.IsArray()) throw_type("torch.jit.trace: the traced function must return tensors");
    Napi::Array a = r.As<Napi::Array>();
    torch::jit::Stack out;
    for (uint32_t k = 0; k < a.Length(); k++) {
      Napi::Value v = a.Get(k);
      if (!v.IsNumber()) throw_type("torch.jit.trace: outputs must be tensors");
      out.emplace_back(tensor_value(v, k, "output"));
    }
    return out;
  };
  auto res = torch::jit::tracer::trace(
      std::move(inputs), body, [](const at::Tensor&) { return std::string(); }, strict, /*force_outplace=*/false);
  std::shared_ptr<torch::jit::Graph> traced = res.first->graph;
  torch::jit::EliminateDeadCode(traced);

  // class names per module path ("" is the root), from module_paths [[path, class name], ...]
  std::unordered_map<std::string, std::string> class_of;
  std::vector<std::string> paths;
  if (!is_nullish(info, 7)) {
    if (!info[7].IsArray()) throw_type("_jit_trace: module_paths must be an array");
    Napi::Array mp = info[7].As<Napi::Array>();
    for (uint32_t k = 0; k < mp.Length(); k++) {
      Napi::Value e = mp.Get(k);
      if (!e.IsArray() || e.As<Napi::Array>().Length() != 2) throw_type("_jit_trace: module_paths entries are [path, class name]");
      std::string path = e.As<Napi::Array>().Get(0u).ToString().Utf8Value();
      class_of[path] = e.As<Napi::Array>().Get(1u).ToString().Utf8Value();
      if (!path.empty()) paths.push_back(path);
    }
  }
  auto class_name = [&](const std::string& path) {
    auto it = class_of.find(path);
    return std::string("__torch__.") + (it != class_of.end() && !it->second.empty() ? it->second : "TracedModule");
  };
  auto cu = std::make_shared<torch::jit::CompilationUnit>();
  torch::jit::Module root(c10::QualifiedName(class_name("")), cu, /*shouldMangle=*/true);
  // Module::train and is_training read a 'training' attribute, which scripted modules carry
  root.register_attribute("training", c10::BoolType::get(), true);
  // submodules per dotted prefix, created on first use
  std::unordered_map<std::string, torch::jit::Module> subs;
  subs.emplace("", root);
  std::function<torch::jit::Module&(const std::string&)> module_at = [&](const std::string& path) -> torch::jit::Module& {
    auto it = subs.find(path);
    if (it != subs.end()) return it->second;
    size_t dot = path.rfind('.');
    std::string parent = dot == std::string::npos ? "" : path.substr(0, dot);
    std::string leaf = dot == std::string::npos ? path : path.substr(dot + 1);
    torch::jit::Module& p = module_at(parent);
    torch::jit::Module child(c10::QualifiedName(class_name(path)), cu, /*shouldMangle=*/true);
    child.register_attribute("training", c10::BoolType::get(), true);
    p.register_module(leaf, child);
    return subs.emplace(path, child).first->second;
  };
  // every submodule path of the traced module (pre-order), so the tree mirrors it even where a
  // submodule holds no state
  for (const std::string& p : paths) module_at(p);
  std::vector<std::pair<std::string, std::string>> where;  // (module path, attribute) per state tensor
  for (uint32_t k = 0; k < state.size(); k++) {
    std::string name = snames.Get(k).ToString().Utf8Value();
    size_t dot = name.rfind('.');
    std::string path = dot == std::string::npos ? "" : name.substr(0, dot);
    std::string leaf = dot == std::string::npos ? name : name.substr(dot + 1);
    torch::jit::Module& owner = module_at(path);
    if (sparam.Get(k).ToBoolean().Value()) owner.register_parameter(leaf, state[k], /*is_buffer=*/false);
    else owner.register_buffer(leaf, state[k]);
    where.emplace_back(path, leaf);
  }
  auto g = std::make_shared<torch::jit::Graph>();
  torch::jit::Value* self = g->addInput("self")->setType(root.type());
  std::vector<torch::jit::Value*> callee_in;
  for (size_t k = 0; k < ins.size(); k++) callee_in.push_back(g->addInput("input_" + std::to_string(k))->setType(traced->inputs()[k]->type()));
  std::unordered_map<std::string, torch::jit::Value*> mod_vals{{"", self}};
  std::function<torch::jit::Value*(const std::string&)> mod_val = [&](const std::string& path) -> torch::jit::Value* {
    auto it = mod_vals.find(path);
    if (it != mod_vals.end()) return it->second;
    size_t dot = path.rfind('.');
    std::string parent = dot == std::string::npos ? "" : path.substr(0, dot);
    std::string leaf = dot == std::string::npos ? path : path.substr(dot + 1);
    torch::jit::Value* v = g->insertGetAttr(mod_val(parent), leaf);
    v->setType(subs.at(path).type());
    return mod_vals.emplace(path, v).first->second;
  };
  for (const auto& [path, leaf] : where) callee_in.push_back(g->insertGetAttr(mod_val(path), leaf));
  std::vector<torch::jit::Value*> outs = torch::jit::insertGraph(*g, *traced, callee_in);
  if (tuple_flag.Get(0u).ToBoolean().Value()) {
    g->registerOutput(g->insertNode(g->createTuple(outs))->output());
  } else {
    if (outs.size() != 1) throw_torch("torch.jit.trace: expected one output, got " + std::to_string(outs.size()));
    g->registerOutput(outs[0]);
  }
  std::string qn = root.type()->name()->qualifiedName() + ".forward";
  torch::jit::Function* f = cu->create_function(c10::QualifiedName(qn), g);
  root.type()->addMethod(f);
  return wrap_mod(env, root);
}

}  // namespace tn
