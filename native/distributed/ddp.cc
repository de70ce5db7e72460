// DistributedDataParallel's gradient reducer: buckets of parameters whose gradients are
// all-reduced (averaged) as soon as a bucket is complete, overlapping the rest of backward.
//
// Mechanism: a post hook on each parameter's AccumulateGrad node copies the accumulated gradient,
// divided by the world size, into its slot of the bucket's flat buffer; when a bucket's last slot
// is filled, buckets are launched strictly in index order (so every rank issues the same
// collectives in the same order). The first hook of a backward pass queues an engine callback
// that runs when the graph is done: it launches what is left (zeros for parameters that got no
// gradient, with find_unused_parameters), waits for every bucket and copies the averages back
// into .grad. Ownership: the Reducer owns the parameters (at::Tensor refs), their grad
// accumulators (so the hooks stay installed) and the buffers; hooks hold only a weak_ptr to it,
// so a collected Reducer leaves inert hooks behind. All state is guarded by `mu` (CUDA backward
// runs hooks on device threads).
//
// Bucket order, as c10d's Reducer in PyTorch 1.13: at construction, one bucket of every parameter
// (with find_unused_parameters: bucketed in definition order, first bucket 1 MiB, then
// bucket_cap, and the buckets reversed). The first synced backward records
// the order in which gradients became ready; the next forward (_ddp_rebuild_buckets) re-buckets
// the parameters in that order (first bucket 1 MiB: it fills, and its all_reduce starts, early),
// with rank 0's order broadcast so every rank builds the same buckets. Once only, and not with
// find_unused_parameters (whose ready order changes between iterations).
#include "c10d.h"
#include <torch/csrc/autograd/engine.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/utils/lambda_post_hook.h>
#include <limits>
#include <map>
#include <cstring>
#include <ATen/CPUGeneratorImpl.h>

namespace tn {
namespace dist {

namespace {
const napi_type_tag kReducerTag = {0x7a1c3e0d5b6f4a24ULL, 0x9e2d4c6b8a0f1e34ULL};
constexpr int64_t kFirstBucketBytes = 1024 * 1024;  // PyTorch's _DEFAULT_FIRST_BUCKET_BYTES

struct Bucket {
  std::vector<size_t> params;
  std::vector<int64_t> offsets;
  at::Tensor flat;
  size_t pending = 0;
  c10::intrusive_ptr<c10d::Work> work;
  bool launched_in_backward = false;
};

struct Reducer : std::enable_shared_from_this<Reducer> {
  std::shared_ptr<PGBox> pg;
  std::vector<at::Tensor> params;
  // std::shared_ptr<Node>, or c10::intrusive_ptr<Node> since pytorch/pytorch#181782 (2.13 wheel)
  std::vector<decltype(torch::autograd::impl::grad_accumulator(std::declval<const at::Tensor&>()))> accs;
  std::vector<std::pair<size_t, size_t>> where;  // param -> (bucket, slot)
  std::vector<Bucket> buckets;
  std::vector<char> ready, used;
  bool find_unused = false;
  bool expect_hooks = false;
  bool finalize_queued = false;
  size_t next_bucket = 0;
  bool in_finalize = false;
  int64_t iterations = 0;
  int64_t cap = 0;
  bool overlap = true;          // false: every bucket waits for the end of backward (bench only)
  bool has_rebuilt = false;
  std::vector<size_t> ready_order;  // first synced iteration: parameters in gradient-ready order
  std::mutex mu;

  // c10d's compute_bucket_assignment_by_size over `order`: per dtype/device, a bucket closes when
  // it reaches its limit (first 1 MiB, then cap). `initial`: buckets sorted by their first
  // parameter and reversed (the last layers' gradients come first); rebuilt: kept in ready order.
  void assign(const std::vector<size_t>& order, bool initial) {
    // PyTorch 1.13: without find_unused_parameters the first iteration runs with one bucket (per
    // dtype/device): the definition order may not be the execution order, and other collectives
    // in backward (SyncBatchNorm) must not interleave with early bucket all_reduces differently on
    // different ranks. The rebuild after it buckets by the observed order.
    const bool single = initial && !find_unused;
    std::vector<std::vector<size_t>> assigned;
    std::map<std::string, std::pair<std::vector<size_t>, std::pair<int64_t, int>>> open;  // key -> (indices, (bytes, limit idx))
    std::vector<std::string> keys;
    for (size_t i : order) {
      std::string key = std::string(c10::toString(params[i].scalar_type())) + "|" + params[i].device().str();
      if (!open.count(key)) keys.push_back(key);
      auto& e = open[key];
      e.first.push_back(i);
      e.second.first += params[i].numel() * params[i].element_size();
      int64_t limit = single ? std::numeric_limits<int64_t>::max() : e.second.second == 0 ? kFirstBucketBytes : cap;
      if (e.second.first >= limit) {
        assigned.push_back(e.first);
        e.first.clear();
        e.second.first = 0;
        e.second.second = 1;
      }
    }
    for (auto& k : keys)
      if (!open[k].first.empty()) assigned.push_back(open[k].first);
    if (initial) {
      std::sort(assigned.begin(), assigned.end(), [](const auto& a, const auto& b) {
        return *std::min_element(a.begin(), a.end()) < *std::min_element(b.begin(), b.end());
      });
      std::reverse(assigned.begin(), assigned.end());
    }
    buckets.clear();
    where.assign(params.size(), {0, 0});
    for (auto& idx : assigned) {
      Bucket b;
      int64_t off = 0;
      for (size_t s = 0; s < idx.size(); s++) {
        b.params.push_back(idx[s]);
        b.offsets.push_back(off);
        off += params[idx[s]].numel();
        where[idx[s]] = {buckets.size(), s};
      }
      b.flat = at::zeros({off}, params[idx[0]].options().requires_grad(false));
      buckets.push_back(std::move(b));
    }
  }

  void reset_iteration() {
    std::fill(ready.begin(), ready.end(), 0);
    std::fill(used.begin(), used.end(), 0);
    for (auto& b : buckets) {
      b.pending = b.params.size();
      b.work.reset();
      b.launched_in_backward = false;
    }
    next_bucket = 0;
    finalize_queued = false;
  }

  at::Tensor view(size_t i) {
    auto [b, s] = where[i];
    return buckets[b].flat.narrow(0, buckets[b].offsets[s], params[i].numel()).view(params[i].sizes());
  }

  void launch_ready() {
    if (!overlap && !in_finalize) return;
    while (next_bucket < buckets.size() && buckets[next_bucket].pending == 0) {
      Bucket& b = buckets[next_bucket];
      std::vector<at::Tensor> io{b.flat};
      c10d::AllreduceOptions o;
      o.reduceOp = c10d::ReduceOp::SUM;
      b.work = pg->pg->allreduce(io, o);
      b.launched_in_backward = !in_finalize;
      next_bucket++;
    }
  }

  void mark_ready(size_t i) {
    ready[i] = 1;
    if (!has_rebuilt && !find_unused && !in_finalize && iterations == 0) ready_order.push_back(i);
    at::Tensor v = view(i);
    const at::Tensor& g = params[i].grad();
    if (g.defined()) {
      used[i] = 1;
      at::mul_out(v, g.detach(), at::scalar_tensor(1.0 / pg->size, at::TensorOptions().dtype(at::kDouble)));
    } else {
      v.zero_();
    }
    Bucket& b = buckets[where[i].first];
    if (--b.pending == 0) launch_ready();
  }

  void hook(size_t i) {
    std::lock_guard<std::mutex> lk(mu);
    if (!expect_hooks || ready[i]) return;
    if (!finalize_queued) {
      finalize_queued = true;
      std::weak_ptr<Reducer> weak = shared_from_this();
      torch::autograd::Engine::get_default_engine().queue_callback([weak]() {
        if (auto self = weak.lock()) self->finalize();
      });
    }
    mark_ready(i);
  }

  void finalize() {
    std::lock_guard<std::mutex> lk(mu);
    at::NoGradGuard ng;
    in_finalize = true;
    expect_hooks = false;
    std::vector<size_t> missing;
    for (size_t i = 0; i < params.size(); i++)
      if (!ready[i]) missing.push_back(i);
    if (!missing.empty() && !find_unused) {
      in_finalize = false;
      // Wait for what was launched so the process group stays usable, then report.
      for (auto& b : buckets)
        if (b.work) try { b.work->wait(); } catch (...) {}
      reset_iteration();
      std::string idx;
      for (size_t k = 0; k < missing.size(); k++) idx += (k ? ", " : "") + std::to_string(missing[k]);
      throw std::runtime_error(
          "Expected to have finished reduction in the prior iteration before starting a new one. This error "
          "indicates that your module has parameters that were not used in producing loss. You can enable unused "
          "parameter detection by passing the keyword argument `find_unused_parameters=True` to "
          "`torch.nn.parallel.DistributedDataParallel`. Parameter indices which did not receive grad for rank " +
          std::to_string(pg->rank) + ": " + idx);
    }
    for (size_t i : missing) mark_ready(i);
    launch_ready();
    at::Tensor used_global;
    c10::intrusive_ptr<c10d::Work> used_work;
    if (find_unused) {
      std::vector<at::Tensor> io{at::tensor(std::vector<int32_t>(used.begin(), used.end()), at::kInt)};
      used_work = pg->pg->allreduce(io);
      used_global = io[0];
    }
    std::string err;
    for (auto& b : buckets) {
      try {
        if (b.work) b.work->wait();
      } catch (const c10::Error& e) {
        if (err.empty()) err = e.what_without_backtrace();
      } catch (const std::exception& e) {
        if (err.empty()) err = e.what();
      }
    }
    if (used_work && err.empty()) {
      try {
        used_work->wait();
      } catch (const std::exception& e) {
        err = e.what();
      }
    }
    in_finalize = false;
    if (!err.empty()) {
      reset_iteration();
      throw std::runtime_error("DistributedDataParallel: gradient all_reduce failed: " + err);
    }
    for (size_t i = 0; i < params.size(); i++) {
      at::Tensor& g = params[i].mutable_grad();
      if (g.defined()) {
        g.copy_(view(i));
      } else if (find_unused && used_global[static_cast<int64_t>(i)].item<int32_t>() > 0) {
        g = view(i).clone();
      }
    }
    iterations++;
    last_overlap = 0;
    for (auto& b : buckets) last_overlap += b.launched_in_backward ? 1 : 0;
    reset_iteration();
  }
  int64_t last_overlap = 0;
};

std::shared_ptr<Reducer> reducer_arg(const Info& info, size_t i) {
  Napi::Value v = info[i];
  bool ok = false;
  if (v.IsExternal()) napi_check_object_type_tag(info.Env(), v, &kReducerTag, &ok);
  if (!ok) throw_type("argument 'reducer' must be a DDP Reducer");
  return *v.As<Napi::External<std::shared_ptr<Reducer>>>().Data();
}
}  // namespace

// [sync] _ddp_reducer(pg, params[], bucket_cap_bytes, find_unused_parameters) -> Reducer.
// Buckets parameters as PyTorch 1.13 does (see Reducer::assign; one dtype/device per bucket) and
// installs the hooks.
// Throws TypeError for a parameter that is not a leaf requiring grad.
TN_FN_NOROLL(_ddp_reducer) {
  auto pg = pg_arg(info, 0, "process_group");
  std::vector<at::Tensor> params = tensor_list_arg(info, 1, "params");
  int64_t cap = int_arg(info, 2, "bucket_cap_bytes");
  bool find_unused = bool_arg(info, 3, "find_unused_parameters");
  if (cap <= 0) throw_range("bucket_cap_mb must be positive");
  for (size_t i = 0; i < params.size(); i++) {
    if (!params[i].requires_grad() || !params[i].is_leaf())
      throw_type("DistributedDataParallel: parameter " + std::to_string(i) + " is not a leaf tensor requiring grad");
    if (params[i].is_sparse()) throw_torch("DistributedDataParallel: sparse parameters are not supported");
  }
  auto r = std::make_shared<Reducer>();
  r->pg = pg;
  r->params = params;
  r->find_unused = find_unused;
  r->cap = cap;
  std::vector<size_t> order(params.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = i;
  r->assign(order, true);
  r->ready.assign(params.size(), 0);
  r->used.assign(params.size(), 0);
  r->reset_iteration();
  std::weak_ptr<Reducer> weak = r;
  for (size_t i = 0; i < params.size(); i++) {
    auto acc = torch::autograd::impl::grad_accumulator(params[i]);
    if (!acc) throw_torch("DistributedDataParallel: parameter " + std::to_string(i) + " has no gradient accumulator");
    acc->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
        [weak, i](const torch::autograd::variable_list& outputs, const torch::autograd::variable_list&) {
          if (auto self = weak.lock()) self->hook(i);
          return outputs;
        }));
    r->accs.push_back(acc);
  }
  auto* holder = new std::shared_ptr<Reducer>(r);
  Napi::Value ext = owned_external(info.Env(), holder);
  napi_type_tag_object(info.Env(), ext, &kReducerTag);
  return ext;
}

// [sync] _ddp_prepare_for_backward(reducer): the next backward pass all-reduces the gradients
// (called by DDP's forward when grad sync is on).
TN_FN_NOROLL(_ddp_prepare_for_backward) {
  auto r = reducer_arg(info, 0);
  std::lock_guard<std::mutex> lk(r->mu);
  r->reset_iteration();
  if (r->iterations == 0) r->ready_order.clear();
  r->expect_hooks = true;
  return info.Env().Undefined();
}

// [sync] _ddp_rebuild_buckets(reducer) -> bool: after the first synced iteration, re-buckets the
// parameters in the order their gradients became ready (rank 0's order, broadcast; a collective:
// every rank calls it at the same forward). Once; false when nothing was rebuilt. TorchError if
// the broadcast fails.
TN_FN_NOROLL(_ddp_rebuild_buckets) {
  auto r = reducer_arg(info, 0);
  std::lock_guard<std::mutex> lk(r->mu);
  if (r->has_rebuilt || r->find_unused || r->ready_order.size() != r->params.size()) return Napi::Boolean::New(info.Env(), false);
  at::Tensor order = at::tensor(std::vector<int64_t>(r->ready_order.begin(), r->ready_order.end()), at::kLong);
  std::vector<at::Tensor> io{order};
  c10d::BroadcastOptions o;
  o.rootRank = 0;
  WorkBox box;
  box.work = r->pg->pg->broadcast(io, o);
  box.what = "DistributedDataParallel bucket rebuild (broadcast)";
  box.wait(-1);
  std::vector<size_t> ord(r->params.size());
  std::vector<char> seen(r->params.size(), 0);
  const int64_t* p = order.data_ptr<int64_t>();
  for (size_t k = 0; k < ord.size(); k++) {
    if (p[k] < 0 || static_cast<size_t>(p[k]) >= ord.size() || seen[p[k]]) throw_torch("DistributedDataParallel: rank 0's gradient order does not match this rank's parameters");
    seen[p[k]] = 1;
    ord[k] = static_cast<size_t>(p[k]);
  }
  r->assign(ord, false);
  r->has_rebuilt = true;
  r->ready_order.clear();
  r->reset_iteration();
  return Napi::Boolean::New(info.Env(), true);
}

// [sync] _ddp_set_overlap(reducer, on): off, buckets are all-reduced only after backward ended
// (torch-node addition for bench/: measures what the overlap saves).
TN_FN_NOROLL(_ddp_set_overlap) {
  auto r = reducer_arg(info, 0);
  bool on = bool_arg(info, 1, "overlap");
  std::lock_guard<std::mutex> lk(r->mu);
  r->overlap = on;
  return info.Env().Undefined();
}

// [sync] _ddp_buckets(reducer) -> param indices per bucket, in reduction order.
TN_FN_NOROLL(_ddp_buckets) {
  auto r = reducer_arg(info, 0);
  Napi::Array a = Napi::Array::New(info.Env(), r->buckets.size());
  for (size_t b = 0; b < r->buckets.size(); b++) {
    std::vector<int64_t> v(r->buckets[b].params.begin(), r->buckets[b].params.end());
    a.Set(static_cast<uint32_t>(b), ret(info.Env(), v));
  }
  return a;
}

// [sync] _ddp_stats(reducer) -> [iterations synced, buckets launched during the last backward
// (before its end: the overlap), number of buckets].
TN_FN_NOROLL(_ddp_stats) {
  auto r = reducer_arg(info, 0);
  std::lock_guard<std::mutex> lk(r->mu);
  std::vector<int64_t> v{r->iterations, r->last_overlap, static_cast<int64_t>(r->buckets.size())};
  return ret(info.Env(), v);
}

}  // namespace dist
}  // namespace tn

namespace tn {
namespace dist {
// [sync] _dist_randperm(n, seed) -> BigInt64Array: torch.randperm(n) drawn from a fresh CPU
// generator seeded `seed` (DistributedSampler's permutation, identical to PyTorch's).
TN_FN_NOROLL(_dist_randperm) {
  int64_t n = int_arg(info, 0, "n");
  int64_t seed = int_arg(info, 1, "seed");
  if (n < 0) throw_range("n must be non-negative, got " + std::to_string(n));
  auto gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(seed));
  at::Tensor p = at::randperm(n, gen, at::TensorOptions().dtype(at::kLong));
  Napi::BigInt64Array out = Napi::BigInt64Array::New(info.Env(), static_cast<size_t>(n));
  if (n) std::memcpy(out.Data(), p.data_ptr<int64_t>(), static_cast<size_t>(n) * sizeof(int64_t));
  return out;
}
}  // namespace dist
}  // namespace tn
