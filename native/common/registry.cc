// Tensor handle registry: slot table, arenas and their GC tokens.
// Ownership: a slot owns one at::Tensor reference. JS wrappers hold the slot index plus a strong
// reference to their arena's token; when V8 collects a token, every wrapper of that arena is dead,
// so the finalizer frees the arena's slots that still carry the arena's id. The addon is built as
// an experimental (basic-finalizer) N-API module so that token finalizers run during GC itself and
// memory is reclaimed even inside a long synchronous loop; they touch no JS state.
#include "core.h"
#include "state.h"

namespace tn {

namespace {
constexpr int32_t kArenaMaxCount = 64;
constexpr int64_t kArenaMaxBytes = 1 << 20;   // close an arena once it holds 1 MiB
constexpr int64_t kSoloBytes = 64 << 10;      // tensors this large get a token of their own
constexpr int64_t kReportStep = 1 << 20;      // tell V8 about external memory in 1 MiB steps
thread_local State* t_state = nullptr;

struct TokenData { State* st; uint32_t id; };

void token_finalize(node_api_basic_env, void* data, void*) {
  auto* td = static_cast<TokenData*>(data);
  td->st->reg.release_arena(td->id);
  delete td;
}

napi_value make_token(napi_env env, State* st, uint32_t id) {
  napi_value v;
  auto* td = new TokenData{st, id};
  if (napi_create_external(env, td, token_finalize, nullptr, &v) != napi_ok) {
    delete td;
    throw Napi::Error::New(env, "could not create a tensor token");
  }
  return v;
}

int64_t nbytes_of(const at::Tensor& t) {
  if (!t.defined()) return 0;
  return static_cast<int64_t>(t.numel()) * static_cast<int64_t>(t.element_size());
}
}  // namespace

State& state() { return *t_state; }
bool has_state() { return t_state != nullptr; }
void set_state(State* s) { t_state = s; }
Registry& registry() { return t_state->reg; }

napi_value State::torch_error_ctor(napi_env e) { return ctor(e, error_class[static_cast<size_t>(ErrKind::Torch)]); }

napi_value State::ctor(napi_env e, napi_ref r) {
  if (!r) return nullptr;
  napi_value v = nullptr;
  napi_get_reference_value(e, r, &v);
  return v;
}

int32_t Registry::alloc_slot() {
  if (free_head >= 0) {
    int32_t s = free_head;
    free_head = slots[s].next_free;
    return s;
  }
  slots.emplace_back();
  return static_cast<int32_t>(slots.size() - 1);
}

void Registry::free_slot(int32_t s) {
  Slot& sl = slots[s];
  live_count -= 1;
  live_bytes -= sl.bytes;
  unreported -= sl.bytes;
  sl.t.reset();
  sl.arena = 0;
  sl.bytes = 0;
  sl.next_free = free_head;
  free_head = s;
}

void Registry::release_arena(uint32_t id) {
  auto it = arenas.find(id);
  if (it == arenas.end()) return;
  for (int32_t s : it->second)
    if (slots[s].arena == id) free_slot(s);
  if (id == cur_arena) cur_slots = nullptr;
  arenas.erase(it);
}

void begin_call(napi_env env) {
  Registry& r = t_state->reg;
  if (r.cur_count >= kArenaMaxCount || r.cur_bytes >= kArenaMaxBytes || r.cur_arena == 0) {
    uint32_t id = r.next_id++;
    napi_value tok = make_token(env, t_state, id);  // may run GC finalizers: no registry refs held
    if (r.cur_token) napi_delete_reference(env, r.cur_token);
    napi_create_reference(env, tok, 1, &r.cur_token);
    r.cur_slots = &r.arenas[id];
    r.cur_arena = id;
    r.cur_count = 0;
    r.cur_bytes = 0;
    if (r.shared) r.shared[0] = static_cast<int32_t>(id);
  }
  if (r.unreported >= kReportStep || r.unreported <= -kReportStep) {
    int64_t adj = 0;
    napi_adjust_external_memory(env, r.unreported, &adj);
    r.unreported = 0;
  }
  drain_deferred(env);
}

int32_t put(at::Tensor t) {
  Registry& r = t_state->reg;
  int64_t b = nbytes_of(t);
  int32_t s = r.alloc_slot();
  Slot& sl = r.slots[s];
  sl.t = std::move(t);
  sl.bytes = b;
  r.live_count += 1;
  r.live_bytes += b;
  r.unreported += b;
  if (b >= kSoloBytes) {
    uint32_t id = r.next_id++;
    sl.arena = id;
    r.arenas[id].push_back(s);
    return ~s;
  }
  sl.arena = r.cur_arena;
  if (!r.cur_slots) r.cur_slots = &r.arenas[r.cur_arena];
  r.cur_slots->push_back(s);
  r.cur_count += 1;
  r.cur_bytes += b;
  return s;
}

const at::Tensor& get(int32_t h) {
  Registry& r = t_state->reg;
  if (h < 0 || static_cast<size_t>(h) >= r.slots.size() || r.slots[h].arena == 0)
    throw_torch("the tensor was disposed (or the handle is invalid): use after dispose");
  return r.slots[h].t;
}

// ---------------------------------------------------------------- bookkeeping entry points

// [sync] _arena_token() -> the token object of the current arena.
TN_FN_NOROLL(_arena_token) {
  Registry& r = t_state->reg;
  napi_value v;
  napi_get_reference_value(info.Env(), r.cur_token, &v);
  return Napi::Value(info.Env(), v);
}

// [sync] _solo_token(slot) -> a token that owns the one large tensor in `slot`.
TN_FN_NOROLL(_solo_token) {
  Registry& r = t_state->reg;
  int32_t s = static_cast<int32_t>(int_arg(info, 0, "slot"));
  if (s < 0 || static_cast<size_t>(s) >= r.slots.size() || r.slots[s].arena == 0)
    throw_range("invalid tensor slot");
  return Napi::Value(info.Env(), make_token(info.Env(), t_state, r.slots[s].arena));
}

// [sync] _free(h) frees a tensor now; [sync] _free_many(array) frees several. Never throw for an
// already-freed handle (dispose is idempotent).
TN_FN_NOROLL(_free) {
  Registry& r = t_state->reg;
  int32_t h = handle_value(info[0], 0, "handle");
  if (h >= 0 && static_cast<size_t>(h) < r.slots.size() && r.slots[h].arena != 0) r.free_slot(h);
  return info.Env().Undefined();
}

TN_FN_NOROLL(_free_many) {
  Registry& r = t_state->reg;
  if (info.Length() < 1 || !info[0].IsArray()) throw_type("argument 'handles' (position 1) must be an array of Tensors");
  Napi::Array a = info[0].As<Napi::Array>();
  uint32_t n = a.Length();
  for (uint32_t i = 0; i < n; i++) {
    int32_t h = handle_value(a.Get(i), 0, "handles");
    if (h >= 0 && static_cast<size_t>(h) < r.slots.size() && r.slots[h].arena != 0) r.free_slot(h);
  }
  return info.Env().Undefined();
}

// [sync] _live() -> [count, bytes] of tensors held by JS handles.
TN_FN_NOROLL(_live) {
  Registry& r = t_state->reg;
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  a.Set(0u, Napi::Number::New(info.Env(), static_cast<double>(r.live_count)));
  a.Set(1u, Napi::Number::New(info.Env(), static_cast<double>(r.live_bytes)));
  return a;
}

}  // namespace tn
