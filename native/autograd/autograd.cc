// Autograd: tensor attributes, the engine (backward / grad), JS hooks, grad_fn nodes, grad modes.
//
// JS hooks. A hook holds a napi_ref to a JS function; the ref is released on the JS thread (through
// defer_release) because the hook may die anywhere a Node dies (a GC finalizer, an engine thread).
// libtorch runs the CPU part of a backward on the thread that called it, so for CPU graphs hooks
// run on the JS thread, inside the _backward/_autograd_grad call. CUDA graphs run on the engine's
// device threads: when JS hooks exist and an output lives off the CPU, the engine is started on a
// helper thread while the JS thread "pumps" hook calls posted by engine threads (each engine thread
// blocks until its call completed on the JS thread). A hook that fires on a foreign thread while
// no pump is running throws a c10::Error instead of touching JS.
//
// grad_fn nodes cross as napi externals (type-tagged) owning a NodePtr (a reference on the Node).
// Inference mode guards are RAII objects: a per-thread stack of heap guards, exited LIFO.
#include "autograd.h"
#include "../common/state.h"
#include <ATen/ThreadLocalState.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/accumulate_grad.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/csrc/autograd/anomaly_mode.h>
#include <atomic>
#include <functional>
#include <condition_variable>
#include <deque>
#include <memory>
#include <thread>

namespace tn {

namespace {
using torch::autograd::Node;
// What grad_fn() and Edge::function hold: std::shared_ptr<Node>, or c10::intrusive_ptr<Node> since
// pytorch/pytorch#181782 (April 2026; the 2.13.0 wheel has it). Taken from the headers rather than
// from a version number, as the exact release is not pinned down here.
using NodePtr = std::decay_t<decltype(std::declval<const torch::autograd::Edge&>().function)>;

// ---------------------------------------------------------------- per-environment context
struct Pump;
struct EnvCtx {
  State* st = nullptr;
  napi_env env = nullptr;
  std::thread::id tid;
  std::atomic<bool> alive{true};
  std::atomic<Pump*> pump{nullptr};
};
thread_local std::shared_ptr<EnvCtx> t_ctx;
std::atomic<int64_t> g_live_hooks{0};
bool g_force_worker = false;

void ctx_cleanup(void* arg) {
  auto* sp = static_cast<std::shared_ptr<EnvCtx>*>(arg);
  (*sp)->alive = false;
  (*sp)->pump = nullptr;
  delete sp;
}

const std::shared_ptr<EnvCtx>& env_ctx(napi_env env) {
  if (!t_ctx || t_ctx->env != env || !t_ctx->alive) {
    t_ctx = std::make_shared<EnvCtx>();
    t_ctx->st = &state();
    t_ctx->env = env;
    t_ctx->tid = std::this_thread::get_id();
    napi_add_env_cleanup_hook(env, ctx_cleanup, new std::shared_ptr<EnvCtx>(t_ctx));
  }
  return t_ctx;
}

// A hook call posted by an engine thread to the JS thread.
struct JsHook;
struct Job {
  JsHook* hook = nullptr;
  std::function<void()> task;  // set instead of hook: a custom Function's backward, run on the JS thread
  at::TensorBase grad;
  at::TensorBase result;
  bool grad_mode = true;  // the engine thread's grad mode, applied on the JS thread for the call
  bool done = false;
  bool failed = false;
  std::string msg;
};

struct Pump {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Job*> jobs;
  bool finished = false;
  c10::optional<Napi::Error> js_error;  // the first exception a JS hook threw
};

struct JsHook {
  std::shared_ptr<EnvCtx> ctx;
  napi_ref fn = nullptr;
  JsHook(std::shared_ptr<EnvCtx> c, napi_ref f) : ctx(std::move(c)), fn(f) { g_live_hooks++; }
  JsHook(const JsHook&) = delete;
  ~JsHook() {
    g_live_hooks--;
    if (ctx->alive) defer_release(ctx->st, fn);
  }
  // On the JS thread, inside a native call: calls the JS function with the grad's handle.
  // Throws Napi::Error when the JS function throws.
  at::TensorBase call_js(const at::TensorBase& grad) {
    napi_env env = ctx->env;
    Napi::HandleScope scope(env);
    begin_call(env);
    napi_value fv;
    napi_get_reference_value(env, fn, &fv);
    Napi::Function f(env, fv);
    Napi::Value h = ret(env, at::Tensor(grad));
    Napi::Value r = f.Call({h});
    if (r.IsNull() || r.IsUndefined()) return at::TensorBase();
    if (!r.IsNumber()) throw_type("a tensor hook must return a Tensor or nothing");
    return tensor_value(r, 0, "hook result");
  }
  at::TensorBase operator()(const at::TensorBase& grad) {
    if (!ctx->alive) return at::TensorBase();
    if (std::this_thread::get_id() == ctx->tid) return call_js(grad);
    Pump* p = ctx->pump.load();
    TORCH_CHECK(p != nullptr,
                "torch-node: a JavaScript tensor hook was called on a libtorch engine thread while no "
                "backward() from JavaScript was waiting for it; hooks run only inside backward()/autograd.grad()");
    Job job;
    job.hook = this;
    job.grad = grad;
    job.grad_mode = c10::GradMode::is_enabled();
    std::unique_lock<std::mutex> lk(p->mu);
    p->jobs.push_back(&job);
    p->cv.notify_all();
    p->cv.wait(lk, [&] { return job.done; });
    TORCH_CHECK(!job.failed, job.msg);
    return job.result;
  }
};

// Runs `fn` (an engine call). Starts it on a helper thread and pumps hook calls when JS hooks
// could fire on engine threads (any root off the CPU), or when forced for tests.
template <class F>
void run_engine(napi_env env, const std::vector<at::Tensor>& roots, F&& fn) {
  bool off_cpu = false;
  for (const auto& t : roots)
    if (t.defined() && !t.is_cpu()) off_cpu = true;
  if (g_live_hooks.load() == 0 || (!off_cpu && !g_force_worker)) {
    fn();
    return;
  }
  std::shared_ptr<EnvCtx> ctx = env_ctx(env);
  TORCH_CHECK(ctx->pump.load() == nullptr,
              "torch-node: backward() was called from a tensor hook while a backward on CUDA tensors is running");
  Pump p;
  ctx->pump = &p;
  at::ThreadLocalState tls;
  std::exception_ptr eptr;
  std::thread th([&] {
    {
      at::ThreadLocalStateGuard g(tls);
      try {
        fn();
      } catch (...) {
        eptr = std::current_exception();
      }
    }
    std::lock_guard<std::mutex> lk(p.mu);
    p.finished = true;
    p.cv.notify_all();
  });
  for (;;) {
    Job* job = nullptr;
    {
      std::unique_lock<std::mutex> lk(p.mu);
      p.cv.wait(lk, [&] { return p.finished || !p.jobs.empty(); });
      if (p.jobs.empty()) break;
      job = p.jobs.front();
      p.jobs.pop_front();
    }
    // The hook is owned by a Node the waiting engine thread holds: alive until job->done.
    try {
      c10::AutoGradMode mode(job->grad_mode);
      if (job->task) job->task();
      else job->result = job->hook->call_js(job->grad);
    } catch (const Napi::Error& e) {
      if (!p.js_error) p.js_error = e;
      job->failed = true;
      job->msg = "a JavaScript tensor hook threw: " + e.Message();
    } catch (const c10::Error& e) {
      job->failed = true;
      job->msg = e.what_without_backtrace();
    } catch (const std::exception& e) {
      job->failed = true;
      job->msg = e.what();
    }
    std::lock_guard<std::mutex> lk(p.mu);
    job->done = true;
    p.cv.notify_all();
  }
  th.join();
  ctx->pump = nullptr;
  if (p.js_error) throw *p.js_error;
  if (eptr) std::rethrow_exception(eptr);
}


// ---------------------------------------------------------------- custom Functions
// The Node of a torch.autograd.Function application. Its backward is a JS function (the
// trampoline lib/autograd/function.ts makes) called with the grads' handles (null for an undefined
// grad) and returning one handle or null per forward input. On the JS thread it is called in
// place; on an engine thread it is posted to the JS thread's pump like a hook (and throws a
// c10::Error when no backward from JS is waiting). The JS reference is released with the graph
// (release_variables), so a second backward through it fails as PyTorch's does.
struct JsFunctionNode : public Node {
  std::string name_;
  std::shared_ptr<EnvCtx> ctx;
  napi_ref fn = nullptr;
  bool materialize = true;
  JsFunctionNode(std::string name, std::shared_ptr<EnvCtx> c, napi_ref f, bool mat)
      : name_(std::move(name)), ctx(std::move(c)), fn(f), materialize(mat) {
    g_live_hooks++;
  }
  ~JsFunctionNode() override {
    g_live_hooks--;
    release_variables();
  }
  std::string name() const override { return name_; }
  void release_variables() override {
    if (fn && ctx->alive) defer_release(ctx->st, fn);
    fn = nullptr;
  }
  torch::autograd::variable_list call_js(const torch::autograd::variable_list& grads) {
    napi_env env = ctx->env;
    Napi::HandleScope scope(env);
    begin_call(env);
    napi_value fv;
    napi_get_reference_value(env, fn, &fv);
    Napi::Function f(env, fv);
    Napi::Array a = Napi::Array::New(env, grads.size());
    for (size_t i = 0; i < grads.size(); i++) a.Set(static_cast<uint32_t>(i), ret(env, grads[i]));
    Napi::Value r = f.Call({a});
    if (!r.IsArray()) throw_type("a custom Function's backward trampoline must return an array");
    Napi::Array ra = r.As<Napi::Array>();
    torch::autograd::variable_list out(num_outputs());
    for (uint32_t i = 0; i < ra.Length() && i < out.size(); i++) {
      Napi::Value v = ra.Get(i);
      if (v.IsNumber()) out[i] = tensor_value(v, i, "grad");
    }
    return out;
  }
  torch::autograd::variable_list apply(torch::autograd::variable_list&& grads) override {
    TORCH_CHECK(fn != nullptr,
                "Trying to backward through the graph a second time (or directly access saved tensors after they have "
                "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
                "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
                "if you need to access saved tensors after calling backward.");
    TORCH_CHECK(ctx->alive, "torch-node: the JavaScript environment of this custom Function has exited");
    if (materialize)
      for (size_t i = 0; i < grads.size(); i++)
        if (!grads[i].defined()) grads[i] = input_metadata(i).zeros_like();
    if (std::this_thread::get_id() == ctx->tid) return call_js(grads);
    Pump* p = ctx->pump.load();
    TORCH_CHECK(p != nullptr,
                "torch-node: a JavaScript autograd Function's backward was called on a libtorch engine thread while "
                "no backward() from JavaScript was waiting for it");
    torch::autograd::variable_list result;
    Job job;
    job.task = [&] { result = call_js(grads); };
    job.grad_mode = c10::GradMode::is_enabled();
    std::unique_lock<std::mutex> lk(p->mu);
    p->jobs.push_back(&job);
    p->cv.notify_all();
    p->cv.wait(lk, [&] { return job.done; });
    TORCH_CHECK(!job.failed, job.msg);
    return result;
  }
};

// A new Node of type T held the way this libtorch holds Nodes (shared_ptr or intrusive_ptr).
template <class T, class... A>
NodePtr make_node(A&&... a) {
  if constexpr (std::is_same_v<NodePtr, std::shared_ptr<Node>>) return std::shared_ptr<T>(new T(std::forward<A>(a)...));
  else return NodePtr(c10::make_intrusive<T>(std::forward<A>(a)...));
}

// ---------------------------------------------------------------- grad_fn nodes
const napi_type_tag kNodeTag = {0x6e6f64655f746e31ULL, 0x9c2b5e1f03a7d4c8ULL};
struct NodeBox {
  NodePtr n;
};
void node_finalize(node_api_basic_env, void* data, void*) { delete static_cast<NodeBox*>(data); }

Napi::Value wrap_node(napi_env env, NodePtr n) {
  if (!n) return Napi::Env(env).Null();
  auto* box = new NodeBox{std::move(n)};
  napi_value v;
  if (napi_create_external(env, box, node_finalize, nullptr, &v) != napi_ok) {
    delete box;
    throw_torch("could not create a grad_fn object");
  }
  napi_type_tag_object(env, v, &kNodeTag);
  return Napi::Value(env, v);
}

Node* node_arg(const Info& info, size_t i) {
  bool ok = false;
  if (i < info.Length() && info[i].IsExternal())
    napi_check_object_type_tag(info.Env(), info[i], &kNodeTag, &ok);
  if (!ok) throw_type("argument 'self' must be an autograd Node (a grad_fn)");
  return static_cast<NodeBox*>(info[i].As<Napi::External<void>>().Data())->n.get();
}

std::vector<at::Tensor> opt_tensors(const Info& info, size_t i, const char* name) {
  std::vector<at::Tensor> out;
  if (is_nullish(info, i)) return out;
  c10::List<c10::optional<at::Tensor>> l = opt_tensor_list_arg(info, i, name);
  for (size_t k = 0; k < l.size(); k++) {
    c10::optional<at::Tensor> t = l.get(k);
    out.push_back(t.has_value() ? *t : at::Tensor());
  }
  return out;
}

std::string leaf_error(bool requires_grad) {
  std::string m = "you can only change requires_grad flags of leaf variables.";
  if (!requires_grad)
    m += " If you want to use a computed variable in a subgraph that doesn't require differentiation use "
         "var_no_grad = var.detach().";
  return m;
}

// Runs an engine call; a JS exception raised by a hook is re-thrown as the original JS value.
template <class F>
Napi::Value engine_call(const Info& info, const std::vector<at::Tensor>& roots, F&& fn) {
  try {
    run_engine(info.Env(), roots, std::forward<F>(fn));
  } catch (const Napi::Error& e) {
    e.ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  return info.Env().Undefined();
}

thread_local std::vector<std::unique_ptr<c10::InferenceMode>> t_inference;

}  // namespace

// ---------------------------------------------------------------- tensor attributes
TN_FN_NOROLL(_requires_grad) { return ret(info.Env(), tensor_arg(info, 0, "self").requires_grad()); }

TN_FN_NOROLL(_set_requires_grad) {
  const at::Tensor& t = tensor_arg(info, 0, "self");
  bool b = bool_arg(info, 1, "requires_grad");
  bool setter = bool_arg(info, 2, "setter");
  if (setter ? !t.is_leaf() : (!t.is_leaf() && !b)) throw_torch(leaf_error(b));
  // The two messages differ in PyTorch too (the setter's check is in C++, the method's in Python).
  if (b && !(at::isFloatingType(t.scalar_type()) || at::isComplexType(t.scalar_type())))
    throw_torch(setter ? "only Tensors of floating point and complex dtype can require gradients"
                       : "only Tensors of floating point dtype can require gradients");
  t.set_requires_grad(b);
  return info.Env().Undefined();
}

// Reads the grad without libtorch's TORCH_WARN (which goes to glog on stderr): `false` tells JS to
// raise PyTorch's UserWarning for a non-leaf tensor whose .grad is not retained.
TN_FN(_grad) {
  const at::Tensor& t = tensor_arg(info, 0, "self");
  const at::Tensor& g = t.mutable_grad();
  if (!g.defined() && !t.is_leaf() && !t.retains_grad()) return Napi::Boolean::New(info.Env(), false);
  return ret(info.Env(), g);
}

TN_FN_NOROLL(_set_grad) {
  at::Tensor t = tensor_arg(info, 0, "self");
  if (is_nullish(info, 1)) {
    t.mutable_grad().reset();
    return info.Env().Undefined();
  }
  at::Tensor g = tensor_arg(info, 1, "grad");
  if (g.unsafeGetTensorImpl() == t.unsafeGetTensorImpl()) throw_torch("can't assign Variable as its own grad");
  if (g.dtype() != t.dtype()) throw_torch("assigned grad has data of a different type");
  if (t.is_cuda() && g.get_device() != t.get_device())
    throw_torch("assigned grad has data located on a different device");
  if (!g.options().type_equal(t.options())) throw_torch("assigned grad has data of a different type");
  if (!g.sizes().equals(t.sizes())) throw_torch("assigned grad has data of a different size");
  t.mutable_grad() = g;
  return info.Env().Undefined();
}

TN_FN_NOROLL(_is_leaf) { return ret(info.Env(), tensor_arg(info, 0, "self").is_leaf()); }
TN_FN_NOROLL(_retains_grad) { return ret(info.Env(), tensor_arg(info, 0, "self").retains_grad()); }
TN_FN_NOROLL(_retain_grad) {
  tensor_arg(info, 0, "self").retain_grad();
  return info.Env().Undefined();
}
TN_FN_NOROLL(_is_inference) { return ret(info.Env(), tensor_arg(info, 0, "self").is_inference()); }
TN_FN(_detach) { return ret(info.Env(), tensor_arg(info, 0, "self").detach()); }
// [sync] _variable_data(h) -> handle of Python's `h.data`: an alias of h's storage without autograd
// history and with its own version counter (unlike detach(), in-place changes through it do not
// invalidate tensors that autograd saved from h).
TN_FN(_variable_data) { return ret(info.Env(), tensor_arg(info, 0, "self").variable_data()); }
TN_FN_NOROLL(_detach_) {
  at::Tensor t = tensor_arg(info, 0, "self");
  t.detach_();
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- grad_fn
TN_FN_NOROLL(_grad_fn) { return wrap_node(info.Env(), tensor_arg(info, 0, "self").grad_fn()); }
TN_FN_NOROLL(_node_name) { return Napi::String::New(info.Env(), node_arg(info, 0)->name()); }
TN_FN_NOROLL(_node_next) {
  Napi::Env env = info.Env();
  Node* n = node_arg(info, 0);
  const auto& edges = n->next_edges();
  Napi::Array a = Napi::Array::New(env, edges.size());
  for (size_t k = 0; k < edges.size(); k++) {
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, wrap_node(env, edges[k].function));
    pair.Set(1u, Napi::Number::New(env, static_cast<double>(edges[k].input_nr)));
    a.Set(static_cast<uint32_t>(k), pair);
  }
  return a;
}
TN_FN(_node_variable) {
  Node* n = node_arg(info, 0);
  auto* acc = dynamic_cast<torch::autograd::AccumulateGrad*>(n);
  if (!acc) return info.Env().Null();
  return ret(info.Env(), acc->variable);
}
// [sync] _node_same(a, b) -> bool: whether two externals wrap the same Node.
TN_FN_NOROLL(_node_same) { return ret(info.Env(), node_arg(info, 0) == node_arg(info, 1)); }

// ---------------------------------------------------------------- engine
TN_FN(_backward) {
  std::vector<at::Tensor> tensors = tensor_list_arg(info, 0, "tensors");
  std::vector<at::Tensor> grads = opt_tensors(info, 1, "grad_tensors");
  c10::optional<bool> retain;
  if (auto r = opt_bool_arg(info, 2, "retain_graph")) retain = *r;
  bool create = !is_nullish(info, 3) && bool_arg(info, 3, "create_graph");
  std::vector<at::Tensor> inputs = is_nullish(info, 4) ? std::vector<at::Tensor>() : tensor_list_arg(info, 4, "inputs");
  if (!grads.empty() && grads.size() != tensors.size())
    throw_range("grad_tensors should have the same length as tensors (" + std::to_string(grads.size()) + " vs " +
                std::to_string(tensors.size()) + ")");
  return engine_call(info, tensors, [&] { torch::autograd::backward(tensors, grads, retain, create, inputs); });
}

TN_FN(_autograd_grad) {
  std::vector<at::Tensor> outputs = tensor_list_arg(info, 0, "outputs");
  std::vector<at::Tensor> inputs = tensor_list_arg(info, 1, "inputs");
  std::vector<at::Tensor> grad_outputs = opt_tensors(info, 2, "grad_outputs");
  c10::optional<bool> retain;
  if (auto r = opt_bool_arg(info, 3, "retain_graph")) retain = *r;
  bool create = !is_nullish(info, 4) && bool_arg(info, 4, "create_graph");
  bool allow_unused = !is_nullish(info, 5) && bool_arg(info, 5, "allow_unused");
  if (!grad_outputs.empty() && grad_outputs.size() != outputs.size())
    throw_range("grad_outputs should have the same length as outputs (" + std::to_string(grad_outputs.size()) +
                " vs " + std::to_string(outputs.size()) + ")");
  std::vector<at::Tensor> res;
  Napi::Value r = engine_call(info, outputs, [&] {
    res = torch::autograd::grad(outputs, inputs, grad_outputs, retain, create, allow_unused);
  });
  if (info.Env().IsExceptionPending()) return r;
  return ret(info.Env(), res);
}

TN_FN_NOROLL(_register_hook) {
  at::Tensor t = tensor_arg(info, 0, "self");
  if (info.Length() < 2 || !info[1].IsFunction()) throw_type("argument 'hook' must be a function");
  napi_ref ref;
  napi_create_reference(info.Env(), info[1], 1, &ref);
  auto hook = std::make_shared<JsHook>(env_ctx(info.Env()), ref);
  unsigned id = t.register_hook([hook](const at::Tensor& g) -> at::Tensor { return at::Tensor((*hook)(g)); });
  return Napi::Number::New(info.Env(), static_cast<double>(id));
}
TN_FN_NOROLL(_remove_hook) {
  at::Tensor t = tensor_arg(info, 0, "self");
  t.remove_hook(static_cast<unsigned>(int_arg(info, 1, "id")));
  return info.Env().Undefined();
}
TN_FN_NOROLL(_autograd_force_worker) {
  g_force_worker = bool_arg(info, 0, "force");
  return info.Env().Undefined();
}

// _function_apply(name, inputs[] (handle|null), outputs[], backward, dirty[], non_differentiable[], materialize)
// -> output handles: connects the outputs of a custom Function's forward (computed without grad)
// to a new JsFunctionNode whose next edges are the inputs'.
TN_FN(_function_apply) {
  Napi::Env env = info.Env();
  std::string name = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : std::string("FunctionBackward");
  std::vector<at::Tensor> inputs = opt_tensors(info, 1, "inputs");
  std::vector<at::Tensor> outputs = tensor_list_arg(info, 2, "outputs");
  if (info.Length() < 4 || !info[3].IsFunction()) throw_type("argument 'backward' must be a function");
  std::vector<at::Tensor> dirty = tensor_list_arg(info, 4, "dirty");
  std::vector<at::Tensor> nondiff = tensor_list_arg(info, 5, "non_differentiable");
  bool materialize = bool_arg(info, 6, "materialize");
  auto is_in = [](const std::vector<at::Tensor>& v, const at::Tensor& t) {
    for (const auto& x : v)
      if (x.defined() && x.unsafeGetTensorImpl() == t.unsafeGetTensorImpl()) return true;
    return false;
  };
  for (const auto& d : dirty) {
    TORCH_CHECK(is_in(inputs, d), "mark_dirty only accepts input tensors, but argument 0 isn't one");
    TORCH_CHECK(!(d.is_leaf() && d.requires_grad()), "a leaf Variable that requires grad is being used in an in-place operation.");
  }
  napi_ref ref;
  napi_create_reference(env, info[3], 1, &ref);
  NodePtr node = make_node<JsFunctionNode>(name, env_ctx(env), ref, materialize);
  torch::autograd::edge_list edges;
  for (const auto& t : inputs) edges.push_back(t.defined() ? torch::autograd::impl::gradient_edge(t) : torch::autograd::Edge());
  node->set_next_edges(std::move(edges));
  std::vector<at::Tensor> result;
  for (size_t i = 0; i < outputs.size(); i++) {
    at::Tensor o = outputs[i];
    bool differentiable = !is_in(nondiff, o) && (at::isFloatingType(o.scalar_type()) || at::isComplexType(o.scalar_type()));
    if (is_in(dirty, o)) {
      // modified in place: the input itself gets this node as its history
      if (differentiable) {
        node->add_input_metadata(o);
        torch::autograd::impl::rebase_history(o, {node, static_cast<uint32_t>(i)});
      } else {
        node->add_input_metadata(torch::autograd::Node::undefined_input());
      }
      result.push_back(o);
      continue;
    }
    // an input returned as it is, or any other output: a fresh alias that carries the new history
    if (is_in(inputs, o) || o.grad_fn() || o.requires_grad()) o = o.detach();
    if (differentiable) {
      uint32_t nr = node->add_input_metadata(o);
      torch::autograd::impl::set_gradient_edge(o, {node, nr});
    } else {
      node->add_input_metadata(torch::autograd::Node::undefined_input());
    }
    result.push_back(o);
  }
  return ret(env, result);
}

// ---------------------------------------------------------------- anomaly mode
TN_FN_NOROLL(_set_anomaly_enabled) {
  bool prev = torch::autograd::AnomalyMode::is_enabled();
  bool check_nan = is_nullish(info, 1) ? true : bool_arg(info, 1, "check_nan");
  torch::autograd::AnomalyMode::set_enabled(bool_arg(info, 0, "mode"), check_nan);
  return ret(info.Env(), prev);
}
TN_FN_NOROLL(_is_anomaly_enabled) { return ret(info.Env(), torch::autograd::AnomalyMode::is_enabled()); }
TN_FN_NOROLL(_is_anomaly_check_nan_enabled) { return ret(info.Env(), torch::autograd::AnomalyMode::should_check_nan()); }

// ---------------------------------------------------------------- grad modes
TN_FN_NOROLL(_set_grad_enabled) {
  bool prev = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(bool_arg(info, 0, "mode"));
  return ret(info.Env(), prev);
}
TN_FN_NOROLL(_is_grad_enabled) { return ret(info.Env(), c10::GradMode::is_enabled()); }
TN_FN_NOROLL(_inference_mode_enter) {
  bool mode = bool_arg(info, 0, "mode");
  t_inference.push_back(std::make_unique<c10::InferenceMode>(mode));
  return ret(info.Env(), static_cast<int64_t>(t_inference.size()));
}
TN_FN_NOROLL(_inference_mode_exit) {
  int64_t depth = int_arg(info, 0, "depth");
  if (depth != static_cast<int64_t>(t_inference.size()))
    throw_range("inference_mode guards must be exited in the reverse order of entering them (exiting level " +
                std::to_string(depth) + " while " + std::to_string(t_inference.size()) + " are open)");
  t_inference.pop_back();
  return info.Env().Undefined();
}
TN_FN_NOROLL(_is_inference_mode_enabled) { return ret(info.Env(), c10::InferenceMode::is_enabled()); }

}  // namespace tn
