// Quantized tensors, quantized engines and dynamic-quantization kernels (entry points).
// Packed weights live in the process-wide table of packed.cc; JS holds their ids. Every forward
// goes through a torchnode:: operator so that the tracer (native/async) can record it.
#include "packed.h"
#include <mutex>

namespace tn {

namespace {
const char* engine_name(at::QEngine e) {
  switch (static_cast<int>(e)) {
    case 0: return "none";
    case 1: return "fbgemm";
    case 2: return "qnnpack";
    case 3: return "onednn";
    case 4: return "x86";
  }
  return "unknown";
}

const char* qscheme_name(at::QScheme q) {
  switch (q) {
    case at::kPerTensorAffine: return "per_tensor_affine";
    case at::kPerChannelAffine: return "per_channel_affine";
    case at::kPerTensorSymmetric: return "per_tensor_symmetric";
    case at::kPerChannelSymmetric: return "per_channel_symmetric";
    case at::kPerChannelAffineFloatQParams: return "per_channel_affine_float_qparams";
    default: return "unknown";
  }
}

at::Tensor quantized_arg(const Info& info, size_t i, const char* name) {
  at::Tensor t = tensor_arg(info, i, name);
  if (!t.is_quantized()) throw_torch(std::string("argument '") + name + "' must be a quantized tensor (got " +
                                     std::string(c10::toString(t.scalar_type())) + ")");
  return t;
}

int64_t id_arg(const Info& info, size_t i, const char* name) {
  int64_t id = int_arg(info, i, name);
  if (id <= 0) throw_range(std::string("argument '") + name + "' is not a packed-weights id");
  return id;
}

std::vector<int64_t> id_list_arg(const Info& info, size_t i, const char* name) {
  std::vector<int64_t> ids = int_list_arg(info, i, name);
  for (int64_t id : ids)
    if (id <= 0) throw_range(std::string("argument '") + name + "' holds an invalid packed-weights id");
  return ids;
}

std::vector<at::Tensor> tensors_of(const std::vector<c10::IValue>& vs) {
  std::vector<at::Tensor> out;
  for (const auto& v : vs) out.push_back(v.isNone() ? at::Tensor() : v.toTensor());
  return out;
}

// Calls a torchnode:: operator (registered on first use) and returns its tensor results.
std::vector<at::Tensor> call_tn(const char* name, std::vector<c10::IValue> args) {
  packed::register_ops();
  return tensors_of(packed::call_op(name, "", std::move(args)));
}

c10::IValue opt_tensor_iv(const opt<at::Tensor>& t) { return t ? c10::IValue(*t) : c10::IValue(); }
}  // namespace

// ---------------------------------------------------------------- quantized tensor metadata

// [sync] _q_scale(h) -> number. Throws TorchError unless h is per-tensor quantized.
TN_FN_NOROLL(_q_scale) { return ret(info.Env(), quantized_arg(info, 0, "self").q_scale()); }
// [sync] _q_zero_point(h) -> number. Throws TorchError unless h is per-tensor quantized.
TN_FN_NOROLL(_q_zero_point) { return ret(info.Env(), quantized_arg(info, 0, "self").q_zero_point()); }
// [sync] _q_per_channel_scales(h) -> handle (float64). Throws unless per-channel quantized.
TN_FN(_q_per_channel_scales) { return ret(info.Env(), quantized_arg(info, 0, "self").q_per_channel_scales()); }
// [sync] _q_per_channel_zero_points(h) -> handle (int64). Throws unless per-channel quantized.
TN_FN(_q_per_channel_zero_points) { return ret(info.Env(), quantized_arg(info, 0, "self").q_per_channel_zero_points()); }
// [sync] _q_per_channel_axis(h) -> number. Throws unless per-channel quantized.
TN_FN_NOROLL(_q_per_channel_axis) { return ret(info.Env(), quantized_arg(info, 0, "self").q_per_channel_axis()); }
// [sync] _qscheme(h) -> 'per_tensor_affine' | 'per_channel_affine' | ... Throws unless quantized.
TN_FN_NOROLL(_qscheme) { return Napi::String::New(info.Env(), qscheme_name(quantized_arg(info, 0, "self").qscheme())); }
// [sync] _is_quantized(h) -> boolean.
TN_FN_NOROLL(_is_quantized) { return ret(info.Env(), tensor_arg(info, 0, "self").is_quantized()); }

// ---------------------------------------------------------------- engines

// [sync] _q_engines() -> names of the quantized engines this libtorch supports ('none' first).
TN_FN_NOROLL(_q_engines) {
  const auto& es = at::globalContext().supportedQEngines();
  Napi::Array a = Napi::Array::New(info.Env(), es.size());
  for (size_t k = 0; k < es.size(); k++) a.Set(static_cast<uint32_t>(k), Napi::String::New(info.Env(), engine_name(es[k])));
  return a;
}
// [sync] _q_engine() -> the current engine's name (process-wide).
TN_FN_NOROLL(_q_engine) { return Napi::String::New(info.Env(), engine_name(at::globalContext().qEngine())); }
// [sync] _q_set_engine(name): sets the process-wide engine. Throws TorchError for an unsupported one.
TN_FN_NOROLL(_q_set_engine) {
  std::string name = string_arg(info, 0, "engine");
  for (at::QEngine e : at::globalContext().supportedQEngines()) {
    if (name == engine_name(e)) {
      at::globalContext().setQEngine(e);
      return info.Env().Undefined();
    }
  }
  std::string have;
  for (at::QEngine e : at::globalContext().supportedQEngines()) have += std::string(have.empty() ? "" : ", ") + engine_name(e);
  throw_torch("quantized engine '" + name + "' is not supported by this libtorch (supported: " + have + ")");
}

// [sync] _q_default_engine(preference[]) -> engine name. The first call in the process sets the
// first supported engine of `preference`; later calls (other worker_threads) change nothing.
TN_FN_NOROLL(_q_default_engine) {
  static std::once_flag once;
  std::vector<std::string> pref;
  if (info.Length() > 0 && info[0].IsArray()) {
    Napi::Array a = info[0].As<Napi::Array>();
    for (uint32_t k = 0; k < a.Length(); k++) pref.push_back(a.Get(k).ToString().Utf8Value());
  }
  std::call_once(once, [&] {
    for (const std::string& name : pref)
      for (at::QEngine e : at::globalContext().supportedQEngines())
        if (name == engine_name(e)) {
          at::globalContext().setQEngine(e);
          return;
        }
  });
  return Napi::String::New(info.Env(), engine_name(at::globalContext().qEngine()));
}

// ---------------------------------------------------------------- weights

// [sync] _q_quantize_weight(w) -> qint8 tensor quantized per tensor, symmetric, with the qparams
// PyTorch's default dynamic weight observer (MinMaxObserver, qint8, per_tensor_symmetric) picks.
TN_FN(_q_quantize_weight) {
  at::Tensor w = tensor_arg(info, 0, "weight").detach().to(at::kFloat);
  if (w.numel() == 0) throw_torch("cannot quantize an empty weight");
  auto mm = at::aminmax(w);
  at::Tensor mn = std::get<0>(mm), mx = std::get<1>(mm);
  at::Tensor min_neg = at::min(mn, at::zeros_like(mn));
  at::Tensor max_pos = at::max(mx, at::zeros_like(mx));
  max_pos = at::max(-min_neg, max_pos);
  at::Tensor scale = max_pos / (static_cast<double>(127 - (-128)) / 2);
  at::Tensor eps = at::full({1}, std::numeric_limits<float>::epsilon(), at::kFloat);
  scale = at::max(scale, eps);
  double s = static_cast<double>(scale.item<float>());
  return ret(info.Env(), at::quantize_per_tensor(w, s, 0, at::kQInt8));
}

// [sync] _qp_linear_prepack(w, bias|null, fp16) -> id. qint8: w is a quantized tensor
// (quantized::linear_prepack); fp16: w is float (quantized::linear_prepack_fp16). Throws TorchError.
TN_FN_NOROLL(_qp_linear_prepack) {
  at::Tensor w = tensor_arg(info, 0, "weight");
  opt<at::Tensor> b = opt_tensor_arg(info, 1, "bias");
  bool fp16 = bool_arg(info, 2, "fp16");
  if (!fp16 && !w.is_quantized()) throw_torch("linear_prepack: weight must be a quantized (qint8) tensor");
  if (fp16) w = w.detach().to(at::kFloat);
  if (b) b = b->detach().to(at::kFloat);
  auto r = packed::call_op(fp16 ? "quantized::linear_prepack_fp16" : "quantized::linear_prepack", "",
                           {c10::IValue(w), opt_tensor_iv(b)});
  return ret(info.Env(), packed::put(r.at(0)));
}

// [sync] _qp_linear_unpack(id, fp16) -> [weight, bias|null] (qint8 weight, or float for fp16).
TN_FN(_qp_linear_unpack) {
  int64_t id = id_arg(info, 0, "packed");
  bool fp16 = bool_arg(info, 1, "fp16");
  auto r = packed::call_op(fp16 ? "quantized::linear_unpack_fp16" : "quantized::linear_unpack", "", {packed::get(id)});
  return ret(info.Env(), tensors_of(r));
}

// [sync] _qp_cell_params(ih, hh, b_ih, b_hh, fp16) -> id of a CellParamsBase for quantized_lstm/gru
// (make_quantized_cell_params_dynamic with reduce_range, or make_quantized_cell_params_fp16).
TN_FN_NOROLL(_qp_cell_params) {
  int64_t ih = id_arg(info, 0, "w_ih"), hh = id_arg(info, 1, "w_hh");
  bool fp16 = bool_arg(info, 4, "fp16");
  std::vector<c10::IValue> r;
  if (fp16) {
    r = packed::call_op("quantized::make_quantized_cell_params_fp16", "", {packed::get(ih), packed::get(hh)});
  } else {
    at::Tensor bih = tensor_arg(info, 2, "bias_ih").detach(), bhh = tensor_arg(info, 3, "bias_hh").detach();
    r = packed::call_op("quantized::make_quantized_cell_params_dynamic", "",
                        {packed::get(ih), packed::get(hh), c10::IValue(bih), c10::IValue(bhh), c10::IValue(true)});
  }
  return ret(info.Env(), packed::put(r.at(0)));
}

// [sync] _qp_free(id): drops the table's reference (idempotent). [sync] _qp_live() -> count.
TN_FN_NOROLL(_qp_free) {
  packed::free(int_arg(info, 0, "packed"));
  return info.Env().Undefined();
}
TN_FN_NOROLL(_qp_live) { return ret(info.Env(), static_cast<int64_t>(packed::live())); }

// ---------------------------------------------------------------- forwards (traceable)

// [sync] _q_linear_dynamic(x, id, reduce_range) -> handle (torchnode::linear_dynamic).
TN_FN(_q_linear_dynamic) {
  at::Tensor x = tensor_arg(info, 0, "input");
  int64_t id = id_arg(info, 1, "packed");
  bool rr = bool_arg(info, 2, "reduce_range");
  return ret(info.Env(), call_tn("torchnode::linear_dynamic", {x, id, rr}).at(0));
}
// [sync] _q_linear_dynamic_fp16(x, id) -> handle (torchnode::linear_dynamic_fp16).
TN_FN(_q_linear_dynamic_fp16) {
  at::Tensor x = tensor_arg(info, 0, "input");
  int64_t id = id_arg(info, 1, "packed");
  return ret(info.Env(), call_tn("torchnode::linear_dynamic_fp16", {x, id}).at(0));
}

// [sync] _q_quantized_lstm(input, hx[2], ids[], has_biases, num_layers, dropout, train,
// bidirectional, batch_first, dtype|null, use_dynamic) -> [output, h_n, c_n].
TN_FN(_q_quantized_lstm) {
  at::Tensor input = tensor_arg(info, 0, "input");
  std::vector<at::Tensor> hx = tensor_list_arg(info, 1, "hx");
  std::vector<int64_t> ids = id_list_arg(info, 2, "params");
  opt<at::ScalarType> dt = opt_dtype_arg(info, 9, "dtype");
  auto r = call_tn("torchnode::quantized_lstm",
                   {input, hx, ids, bool_arg(info, 3, "has_biases"), int_arg(info, 4, "num_layers"), double_arg(info, 5, "dropout"),
                    bool_arg(info, 6, "train"), bool_arg(info, 7, "bidirectional"), bool_arg(info, 8, "batch_first"),
                    dt ? c10::IValue(*dt) : c10::IValue(), bool_arg(info, 10, "use_dynamic")});
  return ret(info.Env(), r);
}

// [sync] _q_quantized_gru(input, hx, ids[], has_biases, num_layers, dropout, train, bidirectional,
// batch_first) -> [output, h_n].
TN_FN(_q_quantized_gru) {
  at::Tensor input = tensor_arg(info, 0, "input");
  at::Tensor hx = tensor_arg(info, 1, "hx");
  std::vector<int64_t> ids = id_list_arg(info, 2, "params");
  auto r = call_tn("torchnode::quantized_gru",
                   {input, hx, ids, bool_arg(info, 3, "has_biases"), int_arg(info, 4, "num_layers"), double_arg(info, 5, "dropout"),
                    bool_arg(info, 6, "train"), bool_arg(info, 7, "bidirectional"), bool_arg(info, 8, "batch_first")});
  return ret(info.Env(), r);
}

// [sync] _q_cell(kind, input, hx (tensor, or [h, c] for 'lstm'), w_ih id, w_hh id, b_ih|null,
// b_hh|null) -> handle, or [h, c] for 'lstm'. kind: 'lstm' | 'gru' | 'rnn_tanh' | 'rnn_relu'.
TN_FN(_q_cell) {
  std::string kind = string_arg(info, 0, "kind");
  at::Tensor input = tensor_arg(info, 1, "input");
  int64_t ih = id_arg(info, 3, "w_ih"), hh = id_arg(info, 4, "w_hh");
  opt<at::Tensor> bih = opt_tensor_arg(info, 5, "bias_ih"), bhh = opt_tensor_arg(info, 6, "bias_hh");
  c10::IValue b1 = bih ? c10::IValue(*bih) : c10::IValue(at::Tensor());
  c10::IValue b2 = bhh ? c10::IValue(*bhh) : c10::IValue(at::Tensor());
  if (kind == "lstm") {
    std::vector<at::Tensor> hx = tensor_list_arg(info, 2, "hx");
    return ret(info.Env(), call_tn("torchnode::quantized_lstm_cell_dynamic", {input, hx, ih, hh, b1, b2}));
  }
  at::Tensor hx = tensor_arg(info, 2, "hx");
  const char* op = kind == "gru" ? "torchnode::quantized_gru_cell_dynamic"
                   : kind == "rnn_tanh" ? "torchnode::quantized_rnn_tanh_cell_dynamic"
                   : kind == "rnn_relu" ? "torchnode::quantized_rnn_relu_cell_dynamic" : nullptr;
  if (!op) throw_range("unknown quantized cell kind '" + kind + "'");
  return ret(info.Env(), call_tn(op, {input, hx, ih, hh, b1, b2}).at(0));
}

}  // namespace tn
