// Packed quantized weights (LinearPackedParamsBase, CellParamsBase custom-class objects) held by
// id in one process-wide table, and the `torchnode::` operators that take those ids so that the
// JIT tracer (native/async) can record quantized forwards as ordinary graph nodes.
#pragma once
#include "../common/core.h"
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>

namespace tn {
namespace packed {

// Stores a custom-class object; returns its id (> 0). Thread-safe.
int64_t put(c10::IValue obj);
// The object behind an id: first the pins of the running async job on this thread, then the
// table. Throws TorchError for an unknown or freed id. Thread-safe.
c10::IValue get(int64_t id);
// Drops the table's reference (objects pinned by work in flight stay alive). Thread-safe.
void free(int64_t id);
// Number of ids in the table.
size_t live();

// While alive on a thread, ids resolve to these objects first (an async job's own references,
// taken on the JS thread when the job was queued).
struct PinScope {
  explicit PinScope(const std::vector<std::pair<int64_t, c10::IValue>>* pins);
  ~PinScope();
  const std::vector<std::pair<int64_t, c10::IValue>>* prev;
};

// Registers the torchnode:: operators once per process (idempotent, thread-safe).
void register_ops();

// Calls a dispatcher operator boxed; returns its stack of results.
std::vector<c10::IValue> call_op(const char* name, const char* overload, std::vector<c10::IValue> args);

}  // namespace packed
}  // namespace tn
