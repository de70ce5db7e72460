// Per-thread (per JS environment) state of the addon: the tensor registry and the JS classes
// handed over at load. One Node worker_thread = one environment = one State.
#pragma once
#include "core.h"
#include <mutex>

namespace tn {

struct Slot {
  at::Tensor t;
  uint32_t arena = 0;      // 0 = free
  int32_t next_free = -1;  // free-list link
  int64_t bytes = 0;
};

struct Registry {
  std::vector<Slot> slots;
  int32_t free_head = -1;
  uint32_t next_id = 1;
  uint32_t cur_arena = 0;
  int32_t cur_count = 0;
  int64_t cur_bytes = 0;
  std::unordered_map<uint32_t, std::vector<int32_t>> arenas;
  // arenas[cur_arena] (map nodes are stable; the current arena is never released: cur_token
  // holds its token).
  std::vector<int32_t>* cur_slots = nullptr;
  napi_ref cur_token = nullptr;
  int32_t* shared = nullptr;   // shared[0] = current arena id (read by lib/tensor.ts)
  napi_ref shared_ref = nullptr;
  int64_t live_count = 0;
  int64_t live_bytes = 0;
  int64_t unreported = 0;      // bytes not yet told to V8 (can't be told from a GC finalizer)

  int32_t alloc_slot();
  void free_slot(int32_t s);
  void release_arena(uint32_t id);
};

struct State {
  Registry reg;
  // The JS error classes by ErrKind, handed over at _init: the loading realm's TypeError /
  // RangeError (so that `instanceof` works in vm contexts, jest's included) and lib/errors.ts's.
  napi_ref error_class[static_cast<size_t>(ErrKind::kCount)] = {};
  napi_ref warn_fn = nullptr;  // (message, category) -> void, lib/errors.ts's warn
  napi_env env = nullptr;
  napi_value torch_error_ctor(napi_env env);
  napi_value ctor(napi_env env, napi_ref r);
  // References to JS buffers whose zero-copy tensors died (possibly on another thread); they are
  // released on the JS thread at the next entry point.
  std::mutex deferred_mu;
  std::vector<napi_ref> deferred;
  bool has_deferred = false;
};
State& state();
void set_state(State* s);
// Whether this thread's environment still has its State (false once it is torn down).
bool has_state();

// Values from the libuv pool that must be released on the JS thread (zero-copy buffers).
void defer_release(State* st, napi_ref ref);
void drain_deferred(napi_env env);

}  // namespace tn
