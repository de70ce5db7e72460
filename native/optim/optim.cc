// torch.optim update rules: one native call per parameter group and step, each a C++ loop over the
// group that mirrors PyTorch 1.13's single-tensor ("for-loop") implementation in
// torch/optim/<name>.py op for op, so results are bitwise those of Python PyTorch on the same
// libtorch. Gradients are read from each parameter's libtorch grad slot (Tensor::grad()), the slot
// that backward() fills and `param.grad` reads and writes.
//
// Calling convention of every _optim_<name> entry point:
//   (params: handle[], states: (null | (handle|null)[])[], ...hyper-parameters)
// states[i] is null while parameter i has no state yet, else its state tensors in the optimizer's
// fixed order (below). Returns one entry per parameter: null when it has no grad (skipped),
// true when it was updated with its existing state, or an array of new handles when its state was
// created by this step (PyTorch's lazy state initialisation).
// Invariants: everything runs under NoGradGuard (PyTorch's step is @torch.no_grad); state tensors
// are updated in place and never replaced, so the JS Tensors in optimizer.state stay valid.
#include "../common/core.h"
#include <cmath>

namespace tn {
namespace {

using TensorList = std::vector<at::Tensor>;

struct Group {
  TensorList params;
  std::vector<std::vector<opt<at::Tensor>>> states;  // empty vector: no state yet
  std::vector<bool> has_state;
};

Group group_args(const Info& info, size_t nstate) {
  Group g;
  g.params = tensor_list_arg(info, 0, "params");
  if (info.Length() < 2 || !info[1].IsArray()) throw_type("argument 'states' (position 2) must be an array");
  Napi::Array st = info[1].As<Napi::Array>();
  if (st.Length() != g.params.size()) throw_range("states must have one entry per parameter");
  g.states.resize(g.params.size());
  g.has_state.resize(g.params.size());
  for (uint32_t i = 0; i < st.Length(); i++) {
    Napi::Value v = st.Get(i);
    if (v.IsNull() || v.IsUndefined()) continue;
    if (!v.IsArray()) throw_type("states[" + std::to_string(i) + "] must be null or an array of Tensors");
    Napi::Array a = v.As<Napi::Array>();
    if (a.Length() != nstate)
      throw_range("states[" + std::to_string(i) + "] must hold " + std::to_string(nstate) + " entries");
    g.has_state[i] = true;
    for (uint32_t k = 0; k < a.Length(); k++) {
      Napi::Value e = a.Get(k);
      if (e.IsNull() || e.IsUndefined()) g.states[i].push_back(c10::nullopt);
      else {
        g.states[i].push_back(tensor_value(e, 1, "states"));
      }
    }
  }
  return g;
}

// The state tensor k of parameter i; TorchError when the entry is missing (as PyTorch's KeyError).
at::Tensor& need(std::vector<opt<at::Tensor>>& s, size_t k, const char* key) {
  if (!s[k].has_value()) throw_torch(std::string("optimizer state is missing '") + key + "'");
  return *s[k];
}

// p.grad(); TorchError for a sparse grad unless the optimizer handles them (SGD, Adagrad).
at::Tensor grad_of(const at::Tensor& p, const char* opt_name, bool sparse_ok = false) {
  const at::Tensor& g = p.grad();
  if (!sparse_ok && g.defined() && g.is_sparse()) {
    std::string hint = std::string(opt_name) == "Adam" ? ", please consider SparseAdam instead" : "";
    throw_torch(std::string(opt_name) + " does not support sparse gradients" + hint);
  }
  return g;
}

// A sparse COO tensor with grad's indices and size (PyTorch's _make_sparse in adagrad.py and
// make_sparse in sparse_adam): an empty one when there is nothing to scatter.
at::Tensor make_sparse(const at::Tensor& grad, const at::Tensor& indices, const at::Tensor& values) {
  if (indices.numel() == 0 || values.numel() == 0) return at::empty_like(grad);
  return at::sparse_coo_tensor(indices, values, grad.sizes());
}

// Collects results: null / true / [new handles].
struct Results {
  napi_env env;
  Napi::Array arr;
  Results(napi_env e, size_t n) : env(e), arr(Napi::Array::New(e, n)) {}
  void skipped(size_t i) { arr.Set(static_cast<uint32_t>(i), Napi::Env(env).Null()); }
  void stepped(size_t i) { arr.Set(static_cast<uint32_t>(i), Napi::Boolean::New(env, true)); }
  void created(size_t i, const std::vector<at::Tensor>& ts) {
    Napi::Array a = Napi::Array::New(env, ts.size());
    for (size_t k = 0; k < ts.size(); k++) a.Set(static_cast<uint32_t>(k), ret(env, ts[k]));
    arr.Set(static_cast<uint32_t>(i), a);
  }
};

at::Tensor zeros_like_p(const at::Tensor& p) { return at::zeros_like(p, at::TensorOptions(), at::MemoryFormat::Preserve); }
// torch.tensor(0.) / torch.tensor(1.): a 0-d float32 CPU tensor.
at::Tensor scalar_f32(double v) { return at::scalar_tensor(v, at::TensorOptions().dtype(at::kFloat)); }
at::Tensor real_view(const at::Tensor& t) { return t.is_complex() ? at::view_as_real(t) : t; }
std::vector<at::Tensor> vals(const std::vector<opt<at::Tensor>>& s) {
  std::vector<at::Tensor> v;
  for (const auto& x : s) v.push_back(x.has_value() ? *x : at::Tensor());
  return v;
}

// The per-parameter loop of the optimizers whose state is created lazily: skips parameters
// without a grad (TorchError on a sparse one unless sparse_ok), creates the state with
// init(param, grad) on first use, runs update(i, param, grad, state) and reports each parameter as
// skipped, stepped or created (with the new state's handles), as _native_step in
// lib/optim/optimizer.ts reads them.
using State = std::vector<opt<at::Tensor>>;
template <typename Init, typename Update>
Napi::Value step_group(const Info& info, Group& g, const char* name, Init init, Update update, bool sparse_ok = false) {
  at::NoGradGuard ng;
  Results r(info.Env(), g.params.size());
  for (size_t i = 0; i < g.params.size(); i++) {
    at::Tensor param = g.params[i];
    at::Tensor grad = grad_of(param, name, sparse_ok);
    if (!grad.defined()) { r.skipped(i); continue; }
    bool created = !g.has_state[i];
    if (created) g.states[i] = init(param, grad);
    update(i, param, grad, g.states[i]);
    if (created) r.created(i, vals(g.states[i]));
    else r.stepped(i);
  }
  return r.arr;
}

}  // namespace

// [sync] _optim_sgd(params, states[momentum_buffer], weight_decay, momentum, lr, dampening, nesterov,
// maximize): torch.optim.SGD's update; sparse grads go through the same ATen ops as in PyTorch.
TN_FN(_optim_sgd) {
  Group g = group_args(info, 1);
  double weight_decay = double_arg(info, 2, "weight_decay");
  double momentum = double_arg(info, 3, "momentum");
  double lr = double_arg(info, 4, "lr");
  double dampening = double_arg(info, 5, "dampening");
  bool nesterov = bool_arg(info, 6, "nesterov");
  bool maximize = bool_arg(info, 7, "maximize");
  at::NoGradGuard ng;
  Results r(info.Env(), g.params.size());
  for (size_t i = 0; i < g.params.size(); i++) {
    at::Tensor param = g.params[i];
    at::Tensor grad = grad_of(param, "SGD", /*sparse_ok=*/true);
    if (!grad.defined()) { r.skipped(i); continue; }
    at::Tensor d_p = maximize ? at::neg(grad) : grad;
    if (weight_decay != 0) d_p = d_p.add(param, weight_decay);
    bool created = false;
    at::Tensor buf;
    if (momentum != 0) {
      opt<at::Tensor> cur = g.has_state[i] ? g.states[i][0] : c10::nullopt;
      if (!cur.has_value()) {
        buf = at::clone(d_p).detach();
        created = true;
      } else {
        buf = *cur;
        buf.mul_(momentum).add_(d_p, 1 - dampening);
      }
      d_p = nesterov ? d_p.add(buf, momentum) : buf;
    }
    param.add_(d_p, -lr);
    if (created) r.created(i, {buf});
    else if (!g.has_state[i]) r.created(i, {at::Tensor()});  // state['momentum_buffer'] = None
    else r.stepped(i);
  }
  return r.arr;
}

// Adam and AdamW share everything but the weight decay.
static Napi::Value adam_like(const Info& info, bool decoupled) {
  const char* name = decoupled ? "AdamW" : "Adam";
  bool amsgrad = bool_arg(info, 2, "amsgrad");
  Group g = group_args(info, amsgrad ? 4 : 3);
  double beta1 = double_arg(info, 3, "beta1");
  double beta2 = double_arg(info, 4, "beta2");
  double lr = double_arg(info, 5, "lr");
  double weight_decay = double_arg(info, 6, "weight_decay");
  double eps = double_arg(info, 7, "eps");
  bool maximize = bool_arg(info, 8, "maximize");
  return step_group(
      info, g, name,
      [&](const at::Tensor& param, const at::Tensor&) -> State {
        State st = {scalar_f32(0), zeros_like_p(param), zeros_like_p(param)};
        if (amsgrad) st.push_back(zeros_like_p(param));
        return st;
      },
      [&](size_t, at::Tensor param, at::Tensor grad, State& s) {
        at::Tensor step_t = need(s, 0, "step"), exp_avg = need(s, 1, "exp_avg"), exp_avg_sq = need(s, 2, "exp_avg_sq");
        if (maximize) grad = at::neg(grad);
        if (decoupled) {
          step_t.add_(1);
          param.mul_(1 - lr * weight_decay);
        } else {
          step_t.add_(1);
          if (weight_decay != 0) grad = grad.add(param, weight_decay);
        }
        at::Tensor p = real_view(param);
        grad = real_view(grad);
        exp_avg = real_view(exp_avg);
        exp_avg_sq = real_view(exp_avg_sq);
        exp_avg.mul_(beta1).add_(grad, 1 - beta1);
        exp_avg_sq.mul_(beta2).addcmul_(grad, decoupled ? grad : grad.conj(), 1 - beta2);
        double step = step_t.item<double>();
        double bias_correction1 = 1 - std::pow(beta1, step);
        double bias_correction2 = 1 - std::pow(beta2, step);
        double step_size = lr / bias_correction1;
        double bias_correction2_sqrt = std::sqrt(bias_correction2);
        at::Tensor denom;
        if (amsgrad) {
          at::Tensor mx = real_view(need(s, 3, "max_exp_avg_sq"));
          at::maximum_out(mx, mx, exp_avg_sq);
          denom = (mx.sqrt() / bias_correction2_sqrt).add_(eps);
        } else {
          denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps);
        }
        p.addcdiv_(exp_avg, denom, -step_size);
      });
}

// [sync] _optim_adam(params, states[step, exp_avg, exp_avg_sq, max_exp_avg_sq?], amsgrad, beta1,
// beta2, lr, weight_decay, eps, maximize): torch.optim.Adam's update. Throws TorchError on sparse grads.
TN_FN(_optim_adam) { return adam_like(info, false); }
// [sync] _optim_adamw(same as _optim_adam): torch.optim.AdamW's update (decoupled weight decay).
TN_FN(_optim_adamw) { return adam_like(info, true); }

// [sync] _optim_rmsprop(params, states[square_avg, momentum_buffer?, grad_avg?], lr, alpha, eps,
// weight_decay, momentum, centered, maximize): torch.optim.RMSprop's update.
TN_FN(_optim_rmsprop) {
  double momentum = double_arg(info, 6, "momentum");
  bool centered = bool_arg(info, 7, "centered");
  size_t nstate = 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0);
  Group g = group_args(info, nstate);
  double lr = double_arg(info, 2, "lr");
  double alpha = double_arg(info, 3, "alpha");
  double eps = double_arg(info, 4, "eps");
  double weight_decay = double_arg(info, 5, "weight_decay");
  bool maximize = bool_arg(info, 8, "maximize");
  return step_group(
      info, g, "RMSprop",
      [&](const at::Tensor& param, const at::Tensor&) -> State {
        State st = {zeros_like_p(param)};
        if (momentum > 0) st.push_back(zeros_like_p(param));
        if (centered) st.push_back(zeros_like_p(param));
        return st;
      },
      [&](size_t, at::Tensor param, at::Tensor grad, State& s) {
        if (maximize) grad = at::neg(grad);
        at::Tensor square_avg = need(s, 0, "square_avg");
        if (weight_decay != 0) grad = grad.add(param, weight_decay);
        at::Tensor p = real_view(param);
        grad = real_view(grad);
        square_avg = real_view(square_avg);
        square_avg.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
        at::Tensor avg;
        if (centered) {
          at::Tensor grad_avg = real_view(need(s, momentum > 0 ? 2 : 1, "grad_avg"));
          grad_avg.mul_(alpha).add_(grad, 1 - alpha);
          avg = square_avg.addcmul(grad_avg, grad_avg, -1).sqrt_();
        } else {
          avg = square_avg.sqrt();
        }
        avg = avg.add_(eps);
        if (momentum > 0) {
          at::Tensor buf = real_view(need(s, 1, "momentum_buffer"));
          buf.mul_(momentum).addcdiv_(grad, avg);
          p.add_(buf, -lr);
        } else {
          p.addcdiv_(grad, avg, -lr);
        }
      });
}

// [sync] _optim_adagrad(params, states[step, sum], lr, weight_decay, lr_decay, eps, maximize):
// torch.optim.Adagrad's update (state is made by the constructor), with its sparse-gradient branch.
TN_FN(_optim_adagrad) {
  Group g = group_args(info, 2);
  double lr = double_arg(info, 2, "lr");
  double weight_decay = double_arg(info, 3, "weight_decay");
  double lr_decay = double_arg(info, 4, "lr_decay");
  double eps = double_arg(info, 5, "eps");
  bool maximize = bool_arg(info, 6, "maximize");
  return step_group(
      info, g, "Adagrad",
      [&](const at::Tensor&, const at::Tensor&) -> State {
        throw_torch("Adagrad: parameter has no state (was it added after construction?)");
      },
      [&](size_t, at::Tensor param, at::Tensor grad, State& s) {
        at::Tensor step_t = need(s, 0, "step"), state_sum = need(s, 1, "sum");
        step_t.add_(1);
        double step = step_t.item<double>();
        if (maximize) grad = at::neg(grad);
        if (weight_decay != 0) {
          if (grad.is_sparse()) throw_torch("weight_decay option is not compatible with sparse gradients");
          grad = grad.add(param, weight_decay);
        }
        double clr = lr / (1 + (step - 1) * lr_decay);
        if (grad.is_sparse()) {
          grad = grad.coalesce();  // the update is non-linear: indices must be unique
          at::Tensor gi = grad._indices(), gv = grad._values();
          state_sum.add_(make_sparse(grad, gi, gv.pow(2)));
          at::Tensor std_values = state_sum.sparse_mask(grad)._values().sqrt_().add_(eps);
          param.add_(make_sparse(grad, gi, gv / std_values), -clr);
          return;
        }
        at::Tensor p = real_view(param);
        grad = real_view(grad);
        state_sum = real_view(state_sum);
        state_sum.addcmul_(grad, grad, 1);
        at::Tensor std_ = state_sum.sqrt().add_(eps);
        p.addcdiv_(grad, std_, -clr);
      },
      /*sparse_ok=*/true);
}

// [sync] _optim_adadelta(params, states[square_avg, acc_delta], lr, rho, eps, weight_decay,
// maximize): torch.optim.Adadelta's update.
TN_FN(_optim_adadelta) {
  Group g = group_args(info, 2);
  double lr = double_arg(info, 2, "lr");
  double rho = double_arg(info, 3, "rho");
  double eps = double_arg(info, 4, "eps");
  double weight_decay = double_arg(info, 5, "weight_decay");
  bool maximize = bool_arg(info, 6, "maximize");
  return step_group(
      info, g, "Adadelta",
      [&](const at::Tensor& param, const at::Tensor&) -> State { return {zeros_like_p(param), zeros_like_p(param)}; },
      [&](size_t, at::Tensor param, at::Tensor grad, State& s) {
        at::Tensor square_avg = need(s, 0, "square_avg"), acc_delta = need(s, 1, "acc_delta");
        if (maximize) grad = at::neg(grad);
        if (weight_decay != 0) grad = grad.add(param, weight_decay);
        bool cplx = param.is_complex();
        if (cplx) {
          square_avg = at::view_as_real(square_avg);
          acc_delta = at::view_as_real(acc_delta);
          grad = at::view_as_real(grad);
        }
        square_avg.mul_(rho).addcmul_(grad, grad, 1 - rho);
        at::Tensor std_ = square_avg.add(eps).sqrt_();
        at::Tensor delta = acc_delta.add(eps).sqrt_().div_(std_).mul_(grad);
        acc_delta.mul_(rho).addcmul_(delta, delta, 1 - rho);
        if (cplx) delta = at::view_as_complex(delta);
        param.add_(delta, -lr);
      });
}

// [sync] _optim_adamax(params, states[step, exp_avg, exp_inf], eps, beta1, beta2, lr, weight_decay,
// maximize): torch.optim.Adamax's update.
TN_FN(_optim_adamax) {
  Group g = group_args(info, 3);
  double eps = double_arg(info, 2, "eps");
  double beta1 = double_arg(info, 3, "beta1");
  double beta2 = double_arg(info, 4, "beta2");
  double lr = double_arg(info, 5, "lr");
  double weight_decay = double_arg(info, 6, "weight_decay");
  bool maximize = bool_arg(info, 7, "maximize");
  return step_group(
      info, g, "Adamax",
      [&](const at::Tensor& param, const at::Tensor&) -> State { return {scalar_f32(0), zeros_like_p(param), zeros_like_p(param)}; },
      [&](size_t, at::Tensor param, at::Tensor grad, State& s) {
        at::Tensor step_t = need(s, 0, "step"), exp_avg = need(s, 1, "exp_avg"), exp_inf = need(s, 2, "exp_inf");
        if (maximize) grad = at::neg(grad);
        step_t.add_(1);
        double step = step_t.item<double>();
        if (weight_decay != 0) grad = grad.add(param, weight_decay);
        at::Tensor p = real_view(param);
        grad = real_view(grad);
        exp_avg = real_view(exp_avg);
        exp_inf = real_view(exp_inf);
        exp_avg.mul_(beta1).add_(grad, 1 - beta1);
        at::Tensor norm_buf = at::cat({exp_inf.mul_(beta2).unsqueeze(0), grad.abs().add_(eps).unsqueeze_(0)}, 0);
        at::amax_out(exp_inf, norm_buf, {0}, false);
        double bias_correction = 1 - std::pow(beta1, step);
        double clr = lr / bias_correction;
        p.addcdiv_(exp_avg, exp_inf, -clr);
      });
}

// [sync] _optim_nadam(params, states[step, mu_product, exp_avg, exp_avg_sq], beta1, beta2, lr,
// weight_decay, momentum_decay, eps): torch.optim.NAdam's update.
TN_FN(_optim_nadam) {
  Group g = group_args(info, 4);
  double beta1 = double_arg(info, 2, "beta1");
  double beta2 = double_arg(info, 3, "beta2");
  double lr = double_arg(info, 4, "lr");
  double weight_decay = double_arg(info, 5, "weight_decay");
  double momentum_decay = double_arg(info, 6, "momentum_decay");
  double eps = double_arg(info, 7, "eps");
  return step_group(
      info, g, "NAdam",
      [&](const at::Tensor& param, const at::Tensor&) -> State { return {scalar_f32(0), scalar_f32(1), zeros_like_p(param), zeros_like_p(param)}; },
      [&](size_t, at::Tensor param, at::Tensor grad, State& s) {
        at::Tensor step_t = need(s, 0, "step"), mu_product = need(s, 1, "mu_product");
        at::Tensor exp_avg = need(s, 2, "exp_avg"), exp_avg_sq = need(s, 3, "exp_avg_sq");
        step_t.add_(1);
        double step = step_t.item<double>();
        double bias_correction2 = 1 - std::pow(beta2, step);
        if (weight_decay != 0) grad = grad.add(param, weight_decay);
        double mu = beta1 * (1. - 0.5 * std::pow(0.96, step * momentum_decay));
        double mu_next = beta1 * (1. - 0.5 * std::pow(0.96, (step + 1) * momentum_decay));
        mu_product.mul_(mu);
        at::Tensor mu_product_next = mu_product * mu * mu_next;
        exp_avg.mul_(beta1).add_(grad, 1 - beta1);
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
        at::Tensor denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps);
        param.addcdiv_(grad, denom, -lr * (1. - mu) / (1. - mu_product.item<double>()));
        param.addcdiv_(exp_avg, denom, -lr * mu_next / (1. - mu_product_next.item<double>()));
      });
}

// [sync] _optim_radam(params, states[step, exp_avg, exp_avg_sq], beta1, beta2, lr, weight_decay,
// eps): torch.optim.RAdam's update.
TN_FN(_optim_radam) {
  Group g = group_args(info, 3);
  double beta1 = double_arg(info, 2, "beta1");
  double beta2 = double_arg(info, 3, "beta2");
  double lr = double_arg(info, 4, "lr");
  double weight_decay = double_arg(info, 5, "weight_decay");
  double eps = double_arg(info, 6, "eps");
  return step_group(
      info, g, "RAdam",
      [&](const at::Tensor& param, const at::Tensor&) -> State { return {scalar_f32(0), zeros_like_p(param), zeros_like_p(param)}; },
      [&](size_t, at::Tensor param, at::Tensor grad, State& s) {
        at::Tensor step_t = need(s, 0, "step"), exp_avg = need(s, 1, "exp_avg"), exp_avg_sq = need(s, 2, "exp_avg_sq");
        step_t.add_(1);
        double step = step_t.item<double>();
        double bias_correction1 = 1 - std::pow(beta1, step);
        double bias_correction2 = 1 - std::pow(beta2, step);
        if (weight_decay != 0) grad = grad.add(param, weight_decay);
        exp_avg.mul_(beta1).add_(grad, 1 - beta1);
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
        at::Tensor bias_corrected_exp_avg = exp_avg / bias_correction1;
        double rho_inf = 2 / (1 - beta2) - 1;
        double rho_t = rho_inf - 2 * step * std::pow(beta2, step) / bias_correction2;
        if (rho_t > 5.) {
          double rect = std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
          // Python's `float / tensor` is tensor.reciprocal() * float.
          at::Tensor adaptive_lr = exp_avg_sq.sqrt().add_(eps).reciprocal() * std::sqrt(bias_correction2);
          param.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, -1.0);
        } else {
          param.add_(bias_corrected_exp_avg * lr, -1.0);
        }
      });
}

// ---------------------------------------------------------------- helpers for Optimizer and LBFGS

// [sync] _optim_zero_grad(params, set_to_none): Optimizer.zero_grad of PyTorch 1.13 (detaches and
// zeroes each existing grad in place, or resets it).
TN_FN_NOROLL(_optim_zero_grad) {
  TensorList params = tensor_list_arg(info, 0, "params");
  bool set_to_none = bool_arg(info, 1, "set_to_none");
  for (auto& p : params) {
    at::Tensor& g = p.mutable_grad();
    if (!g.defined()) continue;
    if (set_to_none) {
      g.reset();
    } else {
      if (g.grad_fn()) g.detach_();
      else g.requires_grad_(false);
      g.zero_();
    }
  }
  return info.Env().Undefined();
}

// [sync] _optim_has_grad(params) -> boolean[]: whether each parameter's grad is defined.
TN_FN_NOROLL(_optim_has_grad) {
  TensorList params = tensor_list_arg(info, 0, "params");
  Napi::Array a = Napi::Array::New(info.Env(), params.size());
  for (size_t i = 0; i < params.size(); i++) a.Set(static_cast<uint32_t>(i), params[i].grad().defined());
  return a;
}

// [sync] _optim_flat_grad(params) -> Tensor: LBFGS._gather_flat_grad (zeros for missing grads).
TN_FN(_optim_flat_grad) {
  TensorList params = tensor_list_arg(info, 0, "params");
  at::NoGradGuard ng;
  TensorList views;
  for (auto& p : params) {
    const at::Tensor& g = p.grad();
    if (!g.defined()) views.push_back(at::zeros({p.numel()}, p.options()));
    else if (g.is_sparse()) views.push_back(g.to_dense().view(-1));
    else views.push_back(g.view(-1));
  }
  return ret(info.Env(), at::cat(views, 0));
}

// [sync] _optim_add_grad(params, step_size, update): LBFGS._add_grad, p += step_size * update slice.
// Throws RangeError when update's length differs from the parameters' total size.
TN_FN_NOROLL(_optim_add_grad) {
  TensorList params = tensor_list_arg(info, 0, "params");
  double step_size = double_arg(info, 1, "step_size");
  at::Tensor update = tensor_arg(info, 2, "update");
  int64_t total = 0;
  for (auto& p : params) total += p.numel();
  if (update.dim() != 1 || update.numel() != total) throw_range("update must be a 1-d tensor with one element per parameter element");
  at::NoGradGuard ng;
  int64_t offset = 0;
  for (auto& p : params) {
    int64_t n = p.numel();
    p.add_(update.slice(0, offset, offset + n).view_as(p), step_size);
    offset += n;
  }
  return info.Env().Undefined();
}

// [sync] _optim_clone_params(params) -> Tensor[]: contiguous clones (LBFGS._clone_param).
TN_FN(_optim_clone_params) {
  TensorList params = tensor_list_arg(info, 0, "params");
  at::NoGradGuard ng;
  TensorList out;
  for (auto& p : params) out.push_back(p.clone(at::MemoryFormat::Contiguous));
  return ret(info.Env(), out);
}

// [sync] _optim_set_params(params, data): p.copy_(data[i]) for each parameter (LBFGS._set_param).
TN_FN_NOROLL(_optim_set_params) {
  TensorList params = tensor_list_arg(info, 0, "params");
  TensorList data = tensor_list_arg(info, 1, "data");
  if (params.size() != data.size()) throw_range("params and data must have the same length");
  at::NoGradGuard ng;
  for (size_t i = 0; i < params.size(); i++) params[i].copy_(data[i]);
  return info.Env().Undefined();
}

// [sync] _optim_sparse_adam(params, states[exp_avg, exp_avg_sq], steps, lr, beta1, beta2, eps,
// maximize): torch.optim.SparseAdam's update (steps[i]: parameter i's step count, already
// incremented as PyTorch does before the update). Throws TorchError on a dense grad, before any
// parameter is updated.
TN_FN(_optim_sparse_adam) {
  Group g = group_args(info, 2);
  std::vector<int64_t> steps = int_list_arg(info, 2, "steps");
  if (steps.size() != g.params.size()) throw_range("steps must hold one count per parameter");
  double lr = double_arg(info, 3, "lr");
  double beta1 = double_arg(info, 4, "beta1");
  double beta2 = double_arg(info, 5, "beta2");
  double eps = double_arg(info, 6, "eps");
  bool maximize = bool_arg(info, 7, "maximize");
  for (const auto& p : g.params) {
    if (p.grad().defined() && !p.grad().is_sparse())
      throw_torch("SparseAdam does not support dense gradients, please consider Adam instead");
  }
  return step_group(
      info, g, "SparseAdam",
      [&](const at::Tensor& param, const at::Tensor&) -> State { return {zeros_like_p(param), zeros_like_p(param)}; },
      [&](size_t i, at::Tensor param, at::Tensor grad, State& s) {
        at::Tensor exp_avg = need(s, 0, "exp_avg"), exp_avg_sq = need(s, 1, "exp_avg_sq");
        if (maximize) grad = at::neg(grad);
        grad = grad.coalesce();  // the update is non-linear: indices must be unique
        at::Tensor gi = grad._indices(), gv = grad._values();
        // old <- b * old + (1 - b) * new  <=>  old += (1 - b) * (new - old)
        at::Tensor old_exp_avg_values = exp_avg.sparse_mask(grad)._values();
        at::Tensor exp_avg_update_values = gv.sub(old_exp_avg_values).mul_(1 - beta1);
        exp_avg.add_(make_sparse(grad, gi, exp_avg_update_values));
        at::Tensor old_exp_avg_sq_values = exp_avg_sq.sparse_mask(grad)._values();
        at::Tensor exp_avg_sq_update_values = gv.pow(2).sub_(old_exp_avg_sq_values).mul_(1 - beta2);
        exp_avg_sq.add_(make_sparse(grad, gi, exp_avg_sq_update_values));
        at::Tensor numer = exp_avg_update_values.add_(old_exp_avg_values);
        exp_avg_sq_update_values.add_(old_exp_avg_sq_values);
        at::Tensor denom = exp_avg_sq_update_values.sqrt_().add_(eps);
        double step = static_cast<double>(steps[i]);
        double bias_correction1 = 1 - std::pow(beta1, step);
        double bias_correction2 = 1 - std::pow(beta2, step);
        double step_size = lr * std::sqrt(bias_correction2) / bias_correction1;
        param.add_(make_sparse(grad, gi, numer.div_(denom).mul(-step_size)));
      }, /*sparse_ok=*/true);
}

// [sync] _optim_rprop(params, states[prev, step_size], lr, etaminus, etaplus, step_size_min,
// step_size_max, maximize): torch.optim.Rprop's update (the step count lives in JS, as PyTorch
// 1.13 keeps an int).
TN_FN(_optim_rprop) {
  Group g = group_args(info, 2);
  double lr = double_arg(info, 2, "lr");
  double etaminus = double_arg(info, 3, "etaminus");
  double etaplus = double_arg(info, 4, "etaplus");
  double step_size_min = double_arg(info, 5, "step_size_min");
  double step_size_max = double_arg(info, 6, "step_size_max");
  bool maximize = bool_arg(info, 7, "maximize");
  return step_group(
      info, g, "Rprop",
      [&](const at::Tensor& param, const at::Tensor& grad) -> State {
        // grad.new().resize_as_(grad).fill_(lr): contiguous, lr in both parts of complex entries
        at::Tensor step_size = at::empty(grad.sizes(), grad.options());
        if (grad.is_complex()) at::view_as_real(step_size).fill_(lr);
        else step_size.fill_(lr);
        State st = {zeros_like_p(param), step_size};
        return st;
      },
      [&](size_t, at::Tensor param, at::Tensor grad, State& s) {
        at::Tensor prev = real_view(need(s, 0, "prev")), step_size = real_view(need(s, 1, "step_size"));
        if (maximize) grad = at::neg(grad);
        grad = real_view(grad);
        at::Tensor p = real_view(param);
        at::Tensor sign = grad.mul(prev).sign();
        sign.masked_fill_(sign.gt(0), etaplus);
        sign.masked_fill_(sign.lt(0), etaminus);
        sign.masked_fill_(sign.eq(0), 1);
        step_size.mul_(sign).clamp_(step_size_min, step_size_max);
        grad = grad.clone(at::MemoryFormat::Preserve);
        grad.masked_fill_(sign.eq(etaminus), 0);  // for dir < 0, dfdx = 0
        p.addcmul_(grad.sign(), step_size, -1);
        prev.copy_(grad);
      });
}

// [sync] _optim_asgd(params, states[step, eta, mu, ax], lambd, lr, t0, alpha, weight_decay,
// maximize): torch.optim.ASGD's update (step/eta/mu are 0-d float32 tensors, as in PyTorch 1.13).
TN_FN(_optim_asgd) {
  Group g = group_args(info, 4);
  double lambd = double_arg(info, 2, "lambd");
  double lr = double_arg(info, 3, "lr");
  double t0 = double_arg(info, 4, "t0");
  double alpha = double_arg(info, 5, "alpha");
  double weight_decay = double_arg(info, 6, "weight_decay");
  bool maximize = bool_arg(info, 7, "maximize");
  return step_group(
      info, g, "ASGD",
      [&](const at::Tensor& param, const at::Tensor&) -> State { return {scalar_f32(0), scalar_f32(lr), scalar_f32(1), zeros_like_p(param)}; },
      [&](size_t, at::Tensor param, at::Tensor grad, State& s) {
        at::Tensor step_t = need(s, 0, "step"), eta = need(s, 1, "eta"), mu = need(s, 2, "mu");
        at::Tensor ax = real_view(need(s, 3, "ax"));
        if (maximize) grad = at::neg(grad);
        grad = real_view(grad);
        at::Tensor p = real_view(param);
        step_t.add_(1);
        double step = step_t.item<double>();
        if (weight_decay != 0) grad = grad.add(p, weight_decay);
        double eta_v = eta.item<double>();
        p.mul_(1 - lambd * eta_v);  // decay term
        p.add_(grad, -eta_v);
        if (mu.item<double>() != 1) ax.add_(p.sub(ax).mul(mu));  // averaging
        else ax.copy_(p);
        eta.copy_(scalar_f32(lr / std::pow(1 + lambd * lr * step, alpha)));
        mu.copy_(scalar_f32(1 / std::max(1.0, step - t0)));
      });
}

}  // namespace tn
