// SyncBatchNorm's training step across the ranks of a process group, as a custom autograd
// Function (the C++ counterpart of torch/nn/modules/_functions.py's SyncBatchNorm).
//
// Forward: each rank computes its per-channel mean, sum of squared deviations (M2) and count,
// all_gathers them (counts may differ between ranks, so an all_reduce of means would be wrong) and
// combines them exactly (Chan et al.): N = Σn_r, mean = Σn_r·mean_r / N, M2 = Σ(M2_r +
// n_r·(mean_r − mean)²); normalises with the biased variance M2/N and updates the running stats
// with the unbiased M2/(N−1). Backward: per-channel Σdy and Σdy·(x−mean) are all_reduced (only
// when the input needs a gradient, as PyTorch), which gives the exact gradient of the global-batch
// normalisation; weight/bias gradients stay local (DDP averages them), as PyTorch's.
//
// Unlike PyTorch 1.13 (CUDA only), any device the group's backend takes works: CPU over Gloo.
// Statistics accumulate in the input's dtype (float for half/bfloat16). Ownership: the autograd
// node keeps the process group alive through a capsule in its saved data; collectives are
// waited for on the calling thread (the JS thread in forward, the backward caller's thread).
#include "c10d.h"
#include <torch/csrc/autograd/custom_function.h>

namespace tn {
namespace dist {

namespace {
struct PGHolder : torch::CustomClassHolder {
  std::shared_ptr<PGBox> pg;
  explicit PGHolder(std::shared_ptr<PGBox> p) : pg(std::move(p)) {}
};

void wait_work(c10::intrusive_ptr<c10d::Work> w, const char* what) {
  WorkBox box;
  box.work = std::move(w);
  box.what = what;
  box.wait(-1);
}

// The dimensions reduced over (all but the channel dimension 1) and the shape that broadcasts a
// per-channel vector against the input.
std::vector<int64_t> reduce_dims(const at::Tensor& x) {
  std::vector<int64_t> d{0};
  for (int64_t i = 2; i < x.dim(); i++) d.push_back(i);
  return d;
}
std::vector<int64_t> channel_shape(const at::Tensor& x) {
  std::vector<int64_t> s(static_cast<size_t>(x.dim()), 1);
  s[1] = x.size(1);
  return s;
}
at::ScalarType acc_type(const at::Tensor& x) {
  auto t = x.scalar_type();
  return (t == at::kHalf || t == at::kBFloat16) ? at::kFloat : t;
}

struct SyncBatchNormFn : public torch::autograd::Function<SyncBatchNormFn> {
  // Optional tensors (not undefined at::Tensor: the autograd Function records every at::Tensor
  // argument's device) are variables only when present, so weight and bias are edges 1 and 2.
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx, at::Tensor input, c10::optional<at::Tensor> weight_opt,
                                                c10::optional<at::Tensor> bias_opt, c10::optional<at::Tensor> running_mean_opt,
                                                c10::optional<at::Tensor> running_var_opt, double eps, double momentum,
                                                std::shared_ptr<PGBox> pg) {
    at::Tensor weight = weight_opt.value_or(at::Tensor()), bias = bias_opt.value_or(at::Tensor());
    at::Tensor running_mean = running_mean_opt.value_or(at::Tensor()), running_var = running_var_opt.value_or(at::Tensor());
    at::Tensor x = input.contiguous();
    const int64_t C = x.size(1);
    const int64_t n = C ? x.numel() / C : 0;
    const auto acc = acc_type(x);
    const auto dims = reduce_dims(x);
    const auto cs = channel_shape(x);
    at::Tensor xa = x.to(acc);
    at::Tensor mean_l, m2_l;
    if (n > 0) {
      mean_l = xa.mean(dims);
      m2_l = (xa - mean_l.view(cs)).square().sum(dims);
    } else {
      mean_l = at::zeros({C}, xa.options());
      m2_l = at::zeros({C}, xa.options());
    }
    at::Tensor combined = at::cat({mean_l, m2_l, at::full({1}, static_cast<double>(n), xa.options())});
    std::vector<std::vector<at::Tensor>> outs(1);
    for (int r = 0; r < pg->size; r++) outs[0].push_back(at::empty_like(combined));
    std::vector<at::Tensor> ins{combined};
    wait_work(pg->pg->allgather(outs, ins), "SyncBatchNorm all_gather");
    at::Tensor all = at::stack(outs[0]);  // (world, 2C + 1)
    at::Tensor means = all.narrow(1, 0, C), m2s = all.narrow(1, C, C), counts = all.narrow(1, 2 * C, 1);
    const double N = counts.sum().item<double>();
    if (N <= 0) throw_torch("SyncBatchNorm: every rank got an empty input");
    at::Tensor mean = (means * counts).sum(0) / N;
    at::Tensor m2 = (m2s + counts * (means - mean).square()).sum(0);
    at::Tensor var = m2 / N;
    at::Tensor invstd = (var + eps).rsqrt();
    if (running_mean.defined()) {
      running_mean.mul_(1 - momentum).add_(mean.to(running_mean.scalar_type()), momentum);
    }
    if (running_var.defined()) {
      at::Tensor unbiased = N > 1 ? m2 / (N - 1) : m2 * std::numeric_limits<double>::infinity();
      running_var.mul_(1 - momentum).add_(unbiased.to(running_var.scalar_type()), momentum);
    }
    at::Tensor scale = weight.defined() ? invstd * weight.to(acc) : invstd;
    at::Tensor shift = bias.defined() ? bias.to(acc) - mean * scale : -mean * scale;
    at::Tensor out = at::addcmul(shift.view(cs), xa, scale.view(cs)).to(x.scalar_type());
    ctx->save_for_backward({x, weight, mean, invstd});
    ctx->saved_data["count"] = N;
    ctx->saved_data["pg"] = c10::IValue::make_capsule(c10::make_intrusive<PGHolder>(pg));
    return {out};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    at::Tensor x = saved[0], weight = saved[1], mean = saved[2], invstd = saved[3];
    const double N = ctx->saved_data["count"].toDouble();
    auto holder = c10::static_intrusive_pointer_cast<PGHolder>(ctx->saved_data["pg"].toCapsule());
    auto& pg = holder->pg;
    if (!pg->pg) throw_torch("SyncBatchNorm backward: the process group was destroyed (destroy_process_group)");
    const auto acc = acc_type(x);
    const auto dims = reduce_dims(x);
    const auto cs = channel_shape(x);
    const int64_t C = x.size(1);
    at::Tensor dy = grads[0].defined() ? grads[0].contiguous().to(acc) : at::zeros(x.sizes(), x.options().dtype(acc));
    at::Tensor xmu = x.to(acc) - mean.view(cs);
    at::Tensor sum_dy = dy.sum(dims);
    at::Tensor sum_dy_xmu = (dy * xmu).sum(dims);
    at::Tensor gi, gw, gb;
    if (ctx->needs_input_grad(0)) {
      std::vector<at::Tensor> io{at::cat({sum_dy, sum_dy_xmu})};
      c10d::AllreduceOptions o;
      o.reduceOp = c10d::ReduceOp::SUM;
      wait_work(pg->pg->allreduce(io, o), "SyncBatchNorm all_reduce");
      at::Tensor g_dy = io[0].narrow(0, 0, C), g_dy_xmu = io[0].narrow(0, C, C);
      at::Tensor scale = weight.defined() ? invstd * weight.to(acc) : invstd;
      gi = ((dy - (g_dy / N).view(cs) - xmu * (invstd.square() * g_dy_xmu / N).view(cs)) * scale.view(cs)).to(x.scalar_type());
    }
    if (weight.defined() && ctx->needs_input_grad(1)) gw = (sum_dy_xmu * invstd).to(weight.scalar_type());
    if (weight.defined() && ctx->needs_input_grad(2)) gb = sum_dy.to(weight.scalar_type());
    return {gi, gw, gb, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};
}  // namespace

// [sync] _sync_batch_norm(input, weight|null, bias|null, running_mean|null, running_var|null,
// eps, momentum, pg) -> output: batch normalisation with statistics over every rank's batch,
// differentiable (backward all_reduces). Blocks for the all_gather; TorchError when a collective
// fails (a peer died, a timeout) or every rank's input is empty.
TN_FN(_sync_batch_norm) {
  at::Tensor input = tensor_arg(info, 0, "input");
  auto w = opt_tensor_arg(info, 1, "weight");
  auto b = opt_tensor_arg(info, 2, "bias");
  auto rm = opt_tensor_arg(info, 3, "running_mean");
  auto rv = opt_tensor_arg(info, 4, "running_var");
  double eps = double_arg(info, 5, "eps");
  double momentum = double_arg(info, 6, "momentum");
  auto pg = pg_arg(info, 7, "process_group");
  if (input.dim() < 2) throw_range("expected at least 2D input (got " + std::to_string(input.dim()) + "D input)");
  if (input.size(1) == 0) throw_range("SyncBatchNorm number of input channels should be non-zero");
  if (!at::isFloatingType(input.scalar_type())) throw_type("SyncBatchNorm: expected a floating point input, got " + std::string(c10::toString(input.scalar_type())));
  const int64_t C = input.size(1);
  for (auto* t : {&w, &b, &rm, &rv})
    if (t->has_value() && (t->value().dim() != 1 || t->value().size(0) != C))
      throw_range("SyncBatchNorm: weight, bias and running stats must have num_features (" + std::to_string(C) + ") elements");
  if (w.has_value() != b.has_value()) throw_type("SyncBatchNorm: weight and bias must both be given or both be null");
  c10::optional<at::Tensor> rmt, rvt;
  if (rm) rmt = rm->detach();
  if (rv) rvt = rv->detach();
  auto out = SyncBatchNormFn::apply(input, w, b, rmt, rvt, eps, momentum, pg);
  return ret(info.Env(), out[0]);
}

}  // namespace dist
}  // namespace tn
