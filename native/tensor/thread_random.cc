// Worker-thread twins of the generated entry points whose ATen op draws from the default CPU
// generator and takes no generator argument: the dropout family, rand_like / randn_like /
// randint_like, and the multi-layer RNN ops (dropout between layers). Each twin takes the same
// arguments as the generated entry point (`a_X` → `a_X_thread`); lib/dispatch.ts calls it on worker
// threads only. It runs the op as ATen composes it (the same kernels in the same order), passing the
// thread's own generator (random.h default_generator_for) to the one call that draws, so a worker
// seeded like the main thread gets the main thread's numbers. Where default_generator_for gives
// nullopt (main thread, CUDA), the twin calls the ATen op itself.
#include "random.h"
#include <cmath>

namespace tn {

namespace {

// ATen's _dropout_impl<feature, alpha, inplace> (Dropout.cpp), with the noise drawn from `gen`.
at::Tensor dropout_with(at::Tensor input, double p, bool train, bool feature, bool alpha, bool inplace, const at::Generator& gen) {
  TORCH_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  if (p == 0 || !train || input.numel() == 0) return input;
  auto multiply = [&](const at::Tensor& noise) { return inplace ? input.mul_(noise) : input.mul(noise); };
  if (p == 1) return multiply(at::zeros({}, input.options()));
  at::Tensor noise;
  if (feature) {
    TORCH_CHECK(input.dim() >= 2, "Feature dropout requires at least 2 dimensions in the input");
    std::vector<int64_t> sizes(static_cast<size_t>(input.dim()), 1);
    sizes[0] = input.size(0);
    sizes[1] = input.size(1);
    noise = at::empty(sizes, input.options());
  } else {
    noise = at::empty_like(input, at::MemoryFormat::Contiguous);
  }
  noise.bernoulli_(1 - p, gen);
  if (!alpha) {
    noise.div_(1 - p);
    return multiply(noise);
  }
  constexpr double kAlpha = 1.7580993408473766;
  double a = 1. / std::sqrt((kAlpha * kAlpha * p + 1) * (1 - p));
  at::Tensor b = noise.add(-1).mul_(kAlpha * a).add_(kAlpha * a * p);
  noise.mul_(a);
  return multiply(noise).add_(b);
}

at::Tensor dropout_any(const Info& info, bool feature, bool alpha, bool inplace) {
  at::Tensor input = tensor_arg(info, 0, inplace ? "self" : "input");
  double p = double_arg(info, 1, "p");
  bool train = bool_arg(info, 2, "train");
  opt<at::Generator> gen = default_generator_for(info);
  if (!gen || !input.is_cpu()) {
    if (feature && alpha) return inplace ? at::feature_alpha_dropout_(input, p, train) : at::feature_alpha_dropout(input, p, train);
    if (feature) return inplace ? at::feature_dropout_(input, p, train) : at::feature_dropout(input, p, train);
    if (alpha) return inplace ? at::alpha_dropout_(input, p, train) : at::alpha_dropout(input, p, train);
    return inplace ? at::dropout_(input, p, train) : at::dropout(input, p, train);
  }
  return dropout_with(input, p, train, feature, alpha, inplace, *gen);
}

// at::empty_like with the factory arguments of a *_like entry point starting at position i.
at::Tensor empty_like_args(const Info& info, size_t i) {
  at::Tensor self = tensor_arg(info, 0, "self");
  at::TensorOptions o = at::TensorOptions()
                            .dtype(opt_dtype_arg(info, i, "dtype"))
                            .layout(layout_arg(info, i + 1, "layout"))
                            .device(opt_device_arg(info, i + 2, "device"))
                            .pinned_memory(opt_bool_arg(info, i + 3, "pin_memory"));
  return at::empty_like(self, o, opt_memory_format_arg(info, i + 4, "memory_format"));
}

// The generator a *_like result draws from: the thread's, for a CPU result on a worker thread.
opt<at::Generator> gen_for(const Info& info, const at::Tensor& result) {
  opt<at::Generator> g = default_generator_for(info);
  return result.is_cpu() ? g : c10::nullopt;
}

// The multi-layer RNN ops with dropout, as ATen's layer stack (RNN.cpp apply_layer_stack) runs
// them: each layer is the same op with num_layers=1 on that layer's weights and initial state, the
// layers run time-major (batch_first is a transpose around the stack, as in ATen), and dropout is
// applied to every layer's output but the last.
struct Stack {
  std::vector<at::Tensor> hx;  // LSTM: {h0, c0}; GRU/RNN: {h0}
  std::vector<at::Tensor> params;
  bool has_biases;
  int64_t num_layers;
  double dropout;
  bool train;
  bool bidirectional;
};

// Calls `layer(input, hx_l, params_l)` -> (output, final states...) for each layer and returns
// (output, states concatenated along dim 0 as ATen stacks them).
template <typename Layer>
std::vector<at::Tensor> run_stack(at::Tensor x, const Stack& s, bool proj, const at::Generator& gen, Layer layer) {
  const int64_t dirs = s.bidirectional ? 2 : 1;
  const int64_t per_dir = (s.has_biases ? 4 : 2) + (proj ? 1 : 0);
  const int64_t per_layer = per_dir * dirs;
  TORCH_CHECK(static_cast<int64_t>(s.params.size()) == per_layer * s.num_layers, "got ", s.params.size(),
              " parameters, but expected ", per_layer * s.num_layers);
  std::vector<std::vector<at::Tensor>> finals(s.hx.size());
  for (int64_t l = 0; l < s.num_layers; l++) {
    std::vector<at::Tensor> hx_l;
    for (const at::Tensor& h : s.hx) hx_l.push_back(h.narrow(0, l * dirs, dirs));
    std::vector<at::Tensor> p_l(s.params.begin() + l * per_layer, s.params.begin() + (l + 1) * per_layer);
    std::vector<at::Tensor> out = layer(x, hx_l, p_l);
    for (size_t k = 0; k < s.hx.size(); k++) finals[k].push_back(out[k + 1]);
    x = out[0];
    if (l < s.num_layers - 1) x = dropout_with(x, s.dropout, true, false, false, false, gen);
  }
  std::vector<at::Tensor> r{x};
  for (auto& f : finals) r.push_back(at::cat(f, 0));
  return r;
}

bool stacks_dropout(const Stack& s) { return s.dropout != 0 && s.train && s.num_layers > 1; }

enum class Cell { LSTM, GRU, TANH, RELU };

template <typename... A>
std::vector<at::Tensor> vec(const std::tuple<A...>& t) {
  return std::apply([](const auto&... x) { return std::vector<at::Tensor>{x...}; }, t);
}

// Positional RNN op on (input[, batch_sizes]) with one layer, time-major.
std::vector<at::Tensor> one_layer(Cell c, const at::Tensor& x, const opt<at::Tensor>& batch_sizes, const std::vector<at::Tensor>& hx,
                                  const std::vector<at::Tensor>& p, const Stack& s) {
  at::TensorList P(p);
  if (batch_sizes) {
    const at::Tensor& bs = *batch_sizes;
    switch (c) {
      case Cell::LSTM: return vec(at::lstm(x, bs, at::TensorList(hx), P, s.has_biases, 1, 0.0, s.train, s.bidirectional));
      case Cell::GRU: return vec(at::gru(x, bs, hx[0], P, s.has_biases, 1, 0.0, s.train, s.bidirectional));
      case Cell::TANH: return vec(at::rnn_tanh(x, bs, hx[0], P, s.has_biases, 1, 0.0, s.train, s.bidirectional));
      case Cell::RELU: return vec(at::rnn_relu(x, bs, hx[0], P, s.has_biases, 1, 0.0, s.train, s.bidirectional));
    }
  }
  switch (c) {
    case Cell::LSTM: return vec(at::lstm(x, at::TensorList(hx), P, s.has_biases, 1, 0.0, s.train, s.bidirectional, false));
    case Cell::GRU: return vec(at::gru(x, hx[0], P, s.has_biases, 1, 0.0, s.train, s.bidirectional, false));
    case Cell::TANH: return vec(at::rnn_tanh(x, hx[0], P, s.has_biases, 1, 0.0, s.train, s.bidirectional, false));
    case Cell::RELU: return vec(at::rnn_relu(x, hx[0], P, s.has_biases, 1, 0.0, s.train, s.bidirectional, false));
  }
  return {};
}

// The whole op as the generated entry point calls it (used where no twin is needed).
std::vector<at::Tensor> whole(Cell c, const at::Tensor& x, const opt<at::Tensor>& batch_sizes, const Stack& s, bool batch_first) {
  at::TensorList H(s.hx), P(s.params);
  if (batch_sizes) {
    const at::Tensor& bs = *batch_sizes;
    switch (c) {
      case Cell::LSTM: return vec(at::lstm(x, bs, H, P, s.has_biases, s.num_layers, s.dropout, s.train, s.bidirectional));
      case Cell::GRU: return vec(at::gru(x, bs, s.hx[0], P, s.has_biases, s.num_layers, s.dropout, s.train, s.bidirectional));
      case Cell::TANH: return vec(at::rnn_tanh(x, bs, s.hx[0], P, s.has_biases, s.num_layers, s.dropout, s.train, s.bidirectional));
      case Cell::RELU: return vec(at::rnn_relu(x, bs, s.hx[0], P, s.has_biases, s.num_layers, s.dropout, s.train, s.bidirectional));
    }
  }
  switch (c) {
    case Cell::LSTM: return vec(at::lstm(x, H, P, s.has_biases, s.num_layers, s.dropout, s.train, s.bidirectional, batch_first));
    case Cell::GRU: return vec(at::gru(x, s.hx[0], P, s.has_biases, s.num_layers, s.dropout, s.train, s.bidirectional, batch_first));
    case Cell::TANH: return vec(at::rnn_tanh(x, s.hx[0], P, s.has_biases, s.num_layers, s.dropout, s.train, s.bidirectional, batch_first));
    case Cell::RELU: return vec(at::rnn_relu(x, s.hx[0], P, s.has_biases, s.num_layers, s.dropout, s.train, s.bidirectional, batch_first));
  }
  return {};
}

// Arguments as the generated a_<op>_input / a_<op>_data entry points take them.
Napi::Value rnn_twin(const Info& info, Cell c, bool data) {
  size_t i = 0;
  at::Tensor x = tensor_arg(info, i++, data ? "data" : "input");
  opt<at::Tensor> bs;
  if (data) bs = tensor_arg(info, i++, "batch_sizes");
  Stack s;
  if (c == Cell::LSTM) s.hx = tensor_list_arg(info, i++, "hx");
  else s.hx = {tensor_arg(info, i++, "hx")};
  s.params = tensor_list_arg(info, i++, "params");
  s.has_biases = bool_arg(info, i++, "has_biases");
  s.num_layers = int_arg(info, i++, "num_layers");
  s.dropout = double_arg(info, i++, "dropout");
  s.train = bool_arg(info, i++, "train");
  s.bidirectional = bool_arg(info, i++, "bidirectional");
  bool batch_first = data ? false : bool_arg(info, i++, "batch_first");
  opt<at::Generator> gen = default_generator_for(info);
  std::vector<at::Tensor> r;
  if (!gen || !x.is_cpu() || !stacks_dropout(s)) {
    r = whole(c, x, bs, s, batch_first);
  } else {
    TORCH_CHECK(!s.hx.empty() && s.hx[0].dim() == 3, "rnn: expected hx of 3 dimensions");
    bool proj = c == Cell::LSTM && s.hx.size() == 2 && s.hx[0].size(2) != s.hx[1].size(2);
    at::Tensor t = batch_first ? x.transpose(0, 1) : x;
    r = run_stack(t, s, proj, *gen, [&](const at::Tensor& in, const std::vector<at::Tensor>& h, const std::vector<at::Tensor>& p) {
      return one_layer(c, in, bs, h, p, s);
    });
    if (batch_first) r[0] = r[0].transpose(0, 1);
  }
  if (r.size() == 3) return ret(info.Env(), std::make_tuple(r[0], r[1], r[2]));
  return ret(info.Env(), std::make_tuple(r[0], r[1]));
}

}  // namespace

// [sync] a_dropout_thread(input, p, train) and the other dropout twins: as a_dropout etc.,
// drawing from this thread's generator. Throw as the ATen ops do.
TN_FN(a_dropout_thread) { return ret(info.Env(), dropout_any(info, false, false, false)); }
TN_FN(a_dropout__thread) { dropout_any(info, false, false, true); return info.Env().Undefined(); }
TN_FN(a_feature_dropout_thread) { return ret(info.Env(), dropout_any(info, true, false, false)); }
TN_FN(a_feature_dropout__thread) { dropout_any(info, true, false, true); return info.Env().Undefined(); }
TN_FN(a_alpha_dropout_thread) { return ret(info.Env(), dropout_any(info, false, true, false)); }
TN_FN(a_alpha_dropout__thread) { dropout_any(info, false, true, true); return info.Env().Undefined(); }
TN_FN(a_feature_alpha_dropout_thread) { return ret(info.Env(), dropout_any(info, true, true, false)); }
TN_FN(a_feature_alpha_dropout__thread) { dropout_any(info, true, true, true); return info.Env().Undefined(); }

// [sync] a_rand_like_thread(self, dtype, layout, device, pin_memory, memory_format): ATen's
// rand_like (empty_like, then uniform_(0, 1)) from this thread's generator.
TN_FN(a_rand_like_thread) {
  at::Tensor r = empty_like_args(info, 1);
  return ret(info.Env(), r.uniform_(0, 1, gen_for(info, r)));
}

// [sync] a_randn_like_thread(self, dtype, layout, device, pin_memory, memory_format): normal_(0, 1).
TN_FN(a_randn_like_thread) {
  at::Tensor r = empty_like_args(info, 1);
  return ret(info.Env(), r.normal_(0, 1, gen_for(info, r)));
}

// [sync] a_randint_like_thread(self, high, dtype, ...): random_(0, high).
TN_FN(a_randint_like_thread) {
  int64_t high = int_arg(info, 1, "high");
  at::Tensor r = empty_like_args(info, 2);
  return ret(info.Env(), r.random_(0, high, gen_for(info, r)));
}

// [sync] a_randint_like_low_dtype_thread(self, low, high, dtype, ...): random_(low, high).
TN_FN(a_randint_like_low_dtype_thread) {
  int64_t low = int_arg(info, 1, "low");
  int64_t high = int_arg(info, 2, "high");
  at::Tensor r = empty_like_args(info, 3);
  return ret(info.Env(), r.random_(low, high, gen_for(info, r)));
}

// [sync] a_{lstm,gru,rnn_tanh,rnn_relu}_{input,data}_thread: as the generated entry points; with
// dropout in training, the layer stack runs here with this thread's generator.
TN_FN(a_lstm_input_thread) { return rnn_twin(info, Cell::LSTM, false); }
TN_FN(a_lstm_data_thread) { return rnn_twin(info, Cell::LSTM, true); }
TN_FN(a_gru_input_thread) { return rnn_twin(info, Cell::GRU, false); }
TN_FN(a_gru_data_thread) { return rnn_twin(info, Cell::GRU, true); }
TN_FN(a_rnn_tanh_input_thread) { return rnn_twin(info, Cell::TANH, false); }
TN_FN(a_rnn_tanh_data_thread) { return rnn_twin(info, Cell::TANH, true); }
TN_FN(a_rnn_relu_input_thread) { return rnn_twin(info, Cell::RELU, false); }
TN_FN(a_rnn_relu_data_thread) { return rnn_twin(info, Cell::RELU, true); }

}  // namespace tn
