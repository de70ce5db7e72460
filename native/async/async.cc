// Work off the JS thread: traced graphs replayed on the libuv pool, asynchronous read-back, and
// libtorch's thread counts.
//
// Ownership and threading invariants:
// - A job copies every at::Tensor and packed-weights object it touches on the JS thread when it
//   is queued (Napi::AsyncWorker constructor); Execute() on the pool thread touches only those
//   copies and never the handle registry, N-API or per-thread State.
// - Results are registered in the handle registry in OnOK(), on the JS thread that queued the job,
//   and handed to the JS callback synchronously, which wraps them before any other native call.
// - Traced graphs live in an ObjectTable (native/common/objects.h) by id; a job holds a shared_ptr to its entry, so
//   freeing the id while jobs run is safe. Code is immutable after construction and each job
//   runs its own InterpreterState, so concurrent replays of one graph are safe.
#include "../common/core.h"
#include "../common/state.h"
#include "../common/objects.h"
#include "../quantized/packed.h"
#include "job.h"
#include <torch/csrc/jit/frontend/tracer.h>
#include <torch/csrc/jit/runtime/interpreter.h>
#include <torch/csrc/jit/ir/alias_analysis.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <ATen/Parallel.h>
#include <cstring>
#include <mutex>

namespace tn {

namespace {

struct GraphEntry {
  std::shared_ptr<torch::jit::Graph> graph;
  std::unique_ptr<torch::jit::Code> code;
  size_t num_inputs = 0;
  bool mutates = false;
};

ObjectTable<GraphEntry>& graphs() {
  static auto* t = new ObjectTable<GraphEntry>(ObjKind::Graph, "traced graph");  // process lifetime
  return *t;
}

// Replays a traced graph with the inputs (and packed weights) captured at queue time.
class RunGraphJob : public Job {
 public:
  RunGraphJob(Napi::Function cb, std::shared_ptr<GraphEntry> g, torch::jit::Stack inputs,
              std::vector<std::pair<int64_t, c10::IValue>> pins, bool grad)
      : Job(cb), g_(std::move(g)), stack_(std::move(inputs)), pins_(std::move(pins)), grad_(grad) {}

 protected:
  void Run() override {
    packed::PinScope ps(&pins_);
    c10::AutoGradMode gm(grad_);
    torch::jit::InterpreterState st(*g_->code);
    st.run(stack_);
    for (const auto& v : stack_) outs_.push_back(v.isTensor() ? v.toTensor() : at::Tensor());
    stack_.clear();
  }
  Napi::Value Result(Napi::Env env) override {
    Napi::Value r = ret(env, outs_);
    outs_.clear();
    return r;
  }

 private:
  std::shared_ptr<GraphEntry> g_;
  torch::jit::Stack stack_;
  std::vector<std::pair<int64_t, c10::IValue>> pins_;
  bool grad_;
  std::vector<at::Tensor> outs_;
};

// Copies a tensor's elements into a JS-owned TypedArray (held by reference until completion).
class ReadJob : public Job {
 public:
  ReadJob(Napi::Function cb, at::Tensor t, opt<at::ScalarType> as, Napi::TypedArray out, void* data, size_t nbytes)
      : Job(cb), t_(std::move(t)), as_(as), data_(data), nbytes_(nbytes) {
    out_ref_ = Napi::Persistent(out);
  }

 protected:
  void Run() override {
    at::Tensor c = t_.detach();
    if (c.is_quantized()) c = c.int_repr();
    if (c.is_conj()) c = c.resolve_conj();
    if (c.is_neg()) c = c.resolve_neg();
    c = as_ ? c.to(at::kCPU, *as_).contiguous() : c.to(at::kCPU).contiguous();
    size_t need = static_cast<size_t>(c.numel()) * c.element_size();
    TORCH_CHECK(need == nbytes_, "output buffer size does not match the tensor");
    if (need) std::memcpy(data_, c.data_ptr(), need);
    t_.reset();
  }
  Napi::Value Result(Napi::Env env) override { return out_ref_.Value(); }

 private:
  at::Tensor t_;
  opt<at::ScalarType> as_;
  Napi::Reference<Napi::TypedArray> out_ref_;
  void* data_;
  size_t nbytes_;
};

std::vector<std::pair<int64_t, c10::IValue>> pins_arg(const Info& info, size_t i) {
  std::vector<std::pair<int64_t, c10::IValue>> pins;
  if (is_nullish(info, i)) return pins;
  for (int64_t id : int_list_arg(info, i, "packed")) pins.emplace_back(id, packed::get(id));
  return pins;
}

Napi::Function callback_arg(const Info& info, size_t i) {
  if (i >= info.Length() || !info[i].IsFunction()) throw_type("argument 'callback' must be a function");
  return info[i].As<Napi::Function>();
}

}  // namespace

// [sync] _trace(fn, inputs[]) -> [graph id, mutates]. Calls fn() once on this thread under
// libtorch's JIT tracer, with `inputs` (distinct tensors) as the graph inputs; fn returns an array
// of tensor handles, the graph outputs. Any other tensor fn touches becomes a constant. mutates:
// some op writes to (an alias of) an input. Throws what fn throws, or TorchError from the tracer
// (e.g. an output that does not depend on the inputs, a constant that requires grad).
TN_FN(_trace) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsFunction()) throw_type("argument 'fn' must be a function");
  Napi::Function fn = info[0].As<Napi::Function>();
  std::vector<at::Tensor> ins = tensor_list_arg(info, 1, "inputs");
  for (size_t a = 0; a < ins.size(); a++)
    for (size_t b = a + 1; b < ins.size(); b++)
      if (ins[a].unsafeGetTensorImpl() == ins[b].unsafeGetTensorImpl())
        throw_torch("trace: the same tensor is passed twice as an input (inputs " + std::to_string(a) + " and " +
                    std::to_string(b) + ")");
  packed::register_ops();
  torch::jit::Stack inputs(ins.begin(), ins.end());
  auto traced = [&](torch::jit::Stack) -> torch::jit::Stack {
    napi_value result;
    napi_value recv = env.Undefined();
    if (napi_call_function(env, recv, fn, 0, nullptr, &result) != napi_ok)
      throw std::runtime_error("the traced function threw");  // the JS exception stays pending
    Napi::Value r(env, result);
    if (!r.IsArray()) throw_type("trace: the traced function must return an array of tensor handles");
    Napi::Array a = r.As<Napi::Array>();
    torch::jit::Stack out;
    for (uint32_t k = 0; k < a.Length(); k++) {
      Napi::Value v = a.Get(k);
      if (!v.IsNumber()) throw_type("trace: outputs must be tensors");
      out.emplace_back(tensor_value(v, k, "output"));
    }
    return out;
  };
  auto res = torch::jit::tracer::trace(
      std::move(inputs), traced, [](const at::Tensor&) { return std::string(); }, /*strict=*/false,
      /*force_outplace=*/false);
  auto entry = std::make_shared<GraphEntry>();
  entry->graph = res.first->graph;
  torch::jit::EliminateDeadCode(entry->graph);
  {
    torch::jit::AliasDb db(entry->graph);
    for (torch::jit::Value* v : entry->graph->inputs())
      if (db.hasWriters(v)) entry->mutates = true;
  }
  entry->num_inputs = entry->graph->inputs().size();
  entry->code = std::make_unique<torch::jit::Code>(entry->graph, "forward");
  int64_t id = graphs().put(entry);
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, static_cast<double>(id)));
  out.Set(1u, Napi::Boolean::New(env, entry->mutates));
  return out;
}

// [sync] _graph_str(id) -> the traced graph's IR text.
TN_FN_NOROLL(_graph_str) { return Napi::String::New(info.Env(), graphs().arg(info, 0, "graph")->graph->toString()); }

// [sync] _graph_free(id): forgets a traced graph (jobs in flight keep theirs). Idempotent.
TN_FN_NOROLL(_graph_free) {
  graphs().free(int_arg(info, 0, "graph"));
  return info.Env().Undefined();
}

// [async] _run_graph_async(id, inputs[], packed ids[]|null, grad_enabled|null (null: this thread's
// current mode), callback(err, handles[])).
// Queues a replay on the libuv pool. Throws TypeError/TorchError synchronously for bad arguments
// (wrong input count, freed graph or packed weights); errors while running reach the callback.
TN_FN_NOROLL(_run_graph_async) {
  auto g = graphs().arg(info, 0, "graph");
  std::vector<at::Tensor> ins = tensor_list_arg(info, 1, "inputs");
  if (ins.size() != g->num_inputs)
    throw_torch("traced graph expects " + std::to_string(g->num_inputs) + " inputs, got " + std::to_string(ins.size()));
  auto pins = pins_arg(info, 2);
  bool grad = is_nullish(info, 3) ? c10::GradMode::is_enabled() : bool_arg(info, 3, "grad_enabled");
  Napi::Function cb = callback_arg(info, 4);
  torch::jit::Stack st(ins.begin(), ins.end());
  auto* job = new RunGraphJob(cb, std::move(g), std::move(st), std::move(pins), grad);
  job->Queue();
  return info.Env().Undefined();
}

// [async] _read_async(h, typedArray, dtype|null, callback(err, typedArray)): copies the tensor's
// elements (row-major, CPU, converted to dtype if given) into the JS-owned array on the libuv pool. The array must hold exactly
// numel*element_size bytes (checked on the pool; a mismatch reaches the callback as TorchError).
TN_FN_NOROLL(_read_async) {
  Napi::Env env = info.Env();
  at::Tensor t = tensor_arg(info, 0, "self");
  // Materialises an on-heap typed array off-heap, so `data` stays put until the job ends.
  TypedArrayView out = typed_array_arg(info, 1, "out");
  Napi::TypedArray ta(env, out.value);
  void* data = out.data;
  size_t nbytes = out.byte_length;
  opt<at::ScalarType> as = opt_dtype_arg(info, 2, "dtype");
  Napi::Function cb = callback_arg(info, 3);
  auto* job = new ReadJob(cb, t, as, ta, data, nbytes);
  job->Queue();
  return env.Undefined();
}

// [sync] _async_grad_enabled() -> whether gradient recording is on for this thread.
TN_FN_NOROLL(_async_grad_enabled) { return ret(info.Env(), c10::GradMode::is_enabled()); }

// ---------------------------------------------------------------- thread counts (process-wide)

// Thread counts above this are refused: each thread needs its own stack (8 MiB by default) and
// a task slot, and 65536 is already above Linux's default per-process limits on both, so no
// larger count can be created; starting them one by one would only stall the call.
constexpr int64_t kMaxThreads = 65536;
// [sync] _set_num_threads(n): intra-op threads. Throws RangeError for n < 1 or n > 65536.
TN_FN_NOROLL(_set_num_threads) {
  int64_t n = int_arg(info, 0, "int");
  if (n < 1) throw_range("set_num_threads expects a positive integer");
  if (n > kMaxThreads) throw_range("set_num_threads(): " + std::to_string(n) + " threads is more than the " + std::to_string(kMaxThreads) + " a process can start");
  at::set_num_threads(static_cast<int>(n));
  return info.Env().Undefined();
}
// [sync] _get_num_threads() -> number.
TN_FN_NOROLL(_get_num_threads) { return ret(info.Env(), static_cast<int64_t>(at::get_num_threads())); }
// [sync] _set_num_interop_threads(n). Throws TorchError once inter-op work has started or when
// called twice (as PyTorch), RangeError for n < 1.
TN_FN_NOROLL(_set_num_interop_threads) {
  int64_t n = int_arg(info, 0, "int");
  if (n < 1) throw_range("set_num_interop_threads expects a positive integer");
  if (n > kMaxThreads) throw_range("set_num_interop_threads(): " + std::to_string(n) + " threads is more than the " + std::to_string(kMaxThreads) + " a process can start");
  at::set_num_interop_threads(static_cast<int>(n));
  return info.Env().Undefined();
}
// [sync] _get_num_interop_threads() -> number.
TN_FN_NOROLL(_get_num_interop_threads) { return ret(info.Env(), static_cast<int64_t>(at::get_num_interop_threads())); }

}  // namespace tn
