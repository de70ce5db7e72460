// Process-wide table of packed quantized weights (an ObjectTable, native/common/objects.h, which
// also frees the ids of a JS environment that is torn down) and the torchnode:: operators over it.
// Invariants: async jobs copy the IValues they need (PinScope) on the JS thread, so a
// module disposed while its job runs keeps its packed weights until the job ends. The torchnode::
// operators mirror quantized:: / aten:: schemas with each custom-class argument replaced by its
// id (int, or int[] for lists), so a traced graph holds plain ints and a replay resolves them.
#include "packed.h"
#include "../common/state.h"
#include "../common/objects.h"
#include <torch/library.h>
#include <mutex>
#include <unordered_set>

namespace tn {
namespace packed {

namespace {
ObjectTable<c10::IValue>& table() {
  static auto* t = new ObjectTable<c10::IValue>(ObjKind::Packed, "packed quantized weights");  // process lifetime
  return *t;
}
thread_local const std::vector<std::pair<int64_t, c10::IValue>>* t_pins = nullptr;

struct OpEntry {
  const char* schema;    // torchnode:: schema
  const char* target;    // operator it forwards to
  const char* overload;
  std::vector<int> ids;       // argument positions holding one id
  std::vector<int> id_lists;  // argument positions holding a list of ids
};

const std::vector<OpEntry>& op_table() {
  static const std::vector<OpEntry> t = {
      {"linear_dynamic(Tensor X, int W_prepack, bool reduce_range=False) -> Tensor Y", "quantized::linear_dynamic", "", {1}, {}},
      {"linear_dynamic_fp16(Tensor X, int W_prepack) -> Tensor Y", "quantized::linear_dynamic_fp16", "", {1}, {}},
      {"quantized_lstm(Tensor input, Tensor[] hx, int[] params, bool has_biases, int num_layers, float dropout, bool train, "
       "bool bidirectional, bool batch_first, *, ScalarType? dtype=None, bool use_dynamic=False) -> (Tensor, Tensor, Tensor)",
       "aten::quantized_lstm", "input", {}, {2}},
      {"quantized_gru(Tensor input, Tensor hx, int[] params, bool has_biases, int num_layers, float dropout, bool train, "
       "bool bidirectional, bool batch_first) -> (Tensor, Tensor)",
       "aten::quantized_gru", "input", {}, {2}},
      {"quantized_lstm_cell_dynamic(Tensor input, Tensor[] hx, int w_ih, int w_hh, Tensor bias_ih, Tensor bias_hh) -> (Tensor, Tensor)",
       "quantized::quantized_lstm_cell_dynamic", "", {2, 3}, {}},
      {"quantized_gru_cell_dynamic(Tensor input, Tensor hx, int w_ih, int w_hh, Tensor b_ih, Tensor b_hh) -> Tensor",
       "quantized::quantized_gru_cell_dynamic", "", {2, 3}, {}},
      {"quantized_rnn_tanh_cell_dynamic(Tensor input, Tensor hx, int w_ih, int w_hh, Tensor b_ih, Tensor b_hh) -> Tensor",
       "quantized::quantized_rnn_tanh_cell_dynamic", "", {2, 3}, {}},
      {"quantized_rnn_relu_cell_dynamic(Tensor input, Tensor hx, int w_ih, int w_hh, Tensor b_ih, Tensor b_hh) -> Tensor",
       "quantized::quantized_rnn_relu_cell_dynamic", "", {2, 3}, {}},
  };
  return t;
}

const OpEntry& entry_for(const std::string& name) {
  for (const OpEntry& e : op_table()) {
    std::string s(e.schema);
    if ("torchnode::" + s.substr(0, s.find('(')) == name) return e;
  }
  throw_torch("unknown torchnode operator " + name);
}

// One kernel for every torchnode:: operator: swap ids for objects, call the target boxed.
void forward_kernel(const c10::OperatorHandle& op, torch::jit::Stack* stack) {
  const OpEntry& e = entry_for(op.schema().name());
  size_t n = op.schema().arguments().size();
  std::vector<c10::IValue> args(stack->end() - static_cast<std::ptrdiff_t>(n), stack->end());
  stack->erase(stack->end() - static_cast<std::ptrdiff_t>(n), stack->end());
  for (int i : e.ids) args[i] = get(args[i].toInt());
  for (int i : e.id_lists) {
    std::vector<int64_t> ids = args[i].toIntVector();
    TORCH_CHECK(!ids.empty(), "torchnode: empty list of packed parameters");
    std::vector<c10::IValue> objs;
    for (int64_t id : ids) objs.push_back(get(id));
    c10::impl::GenericList list(objs[0].type());
    for (auto& o : objs) list.push_back(o);
    args[i] = c10::IValue(list);
  }
  auto target = c10::Dispatcher::singleton().findSchemaOrThrow(e.target, e.overload);
  for (auto& a : args) stack->push_back(std::move(a));
  target.callBoxed(stack);
}
}  // namespace

int64_t put(c10::IValue obj) { return table().put(std::make_shared<c10::IValue>(std::move(obj))); }

c10::IValue get(int64_t id) {
  if (t_pins)
    for (const auto& p : *t_pins)
      if (p.first == id) return p.second;
  return *table().get(id);
}

void free(int64_t id) { table().free(id); }

size_t live() { return table().live(); }

PinScope::PinScope(const std::vector<std::pair<int64_t, c10::IValue>>* pins) : prev(t_pins) { t_pins = pins; }
PinScope::~PinScope() { t_pins = prev; }

void register_ops() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Leaked on purpose: the registrations must outlive every graph that names these operators.
    auto* lib = new torch::Library(torch::Library::DEF, "torchnode", c10::nullopt, __FILE__, __LINE__);
    for (const OpEntry& e : op_table())
      lib->def(e.schema, torch::CppFunction::makeFromBoxedFunction<&forward_kernel>());
  });
}

std::vector<c10::IValue> call_op(const char* name, const char* overload, std::vector<c10::IValue> args) {
  auto op = c10::Dispatcher::singleton().findSchemaOrThrow(name, overload);
  torch::jit::Stack stack(std::move(args));
  op.callBoxed(&stack);
  return stack;
}

}  // namespace packed
}  // namespace tn
