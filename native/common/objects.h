// Native objects owned by JS (generators, packed quantized weights, traced graphs): one table
// type for all of them. JS holds an integer id in a lib/_native_object.ts NativeObject, which
// frees it with dispose(), `using` (Symbol.dispose) or, as a last resort, its FinalizationRegistry.
//
// Invariants:
// - ids are unique across every table for the life of the process and never reused; the low
//   kKindBits bits of an id name its table, so an id of another kind is a TypeError naming the
//   argument, and a freed id of the right kind a TorchError ("use after dispose");
// - a table owns one reference (shared_ptr) per live id; get() hands out a copy of it, so work in
//   flight (an async job) keeps the object after JS frees the id;
// - each id belongs to the JS environment (main thread or worker) that made it: when that
//   environment is torn down (GC finalizers do not run then), an env cleanup hook frees the ids
//   it still owns;
// - every operation is thread-safe (one mutex per table).
#pragma once
#include "core.h"
#include "state.h"
#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>
#include <unordered_set>

namespace tn {

constexpr int kKindBits = 4;
// The kinds of native object (one table each).
enum class ObjKind : int64_t { Generator = 1, Packed = 2, Graph = 3 };

// The process-wide id counter shared by every table (one instance: an inline function's static).
inline int64_t next_object_serial() {
  static std::atomic<int64_t> n{1};
  return n.fetch_add(1);
}

template <class T>
class ObjectTable {
 public:
  ObjectTable(ObjKind kind, const char* what) : kind_(kind), what_(what) {}

  // Stores `obj`, owned by the calling JS environment; returns its id (> 0).
  int64_t put(std::shared_ptr<T> obj) {
    State* owner = has_state() ? &state() : nullptr;
    int64_t id = (next_object_serial() << kKindBits) | static_cast<int64_t>(kind_);
    bool hook = false;
    {
      std::lock_guard<std::mutex> lk(mu_);
      items_.emplace(id, Item{std::move(obj), owner});
      if (owner) hook = hooked_.insert(owner).second;
    }
    if (hook && owner->env) napi_add_env_cleanup_hook(owner->env, &ObjectTable::free_owned_by, new HookArg{this, owner});
    return id;
  }

  // Whether `id` is of this table's kind (live or freed).
  bool is_kind(int64_t id) const { return id > 0 && (id & ((1 << kKindBits) - 1)) == static_cast<int64_t>(kind_); }

  // The object behind `id`; TorchError when it was freed.
  std::shared_ptr<T> get(int64_t id) const {
    std::lock_guard<std::mutex> lk(mu_);
    auto it = items_.find(id);
    if (it == items_.end())
      throw_torch(std::string(what_) + " #" + std::to_string(id >> kKindBits) + " was disposed (or the id is invalid): use after dispose");
    return it->second.obj;
  }
  // The object behind argument `i`, an id of this kind (TypeError naming the argument otherwise).
  std::shared_ptr<T> arg(const Info& info, size_t i, const char* name) const { return get(id_arg(info, i, name)); }
  int64_t id_arg(const Info& info, size_t i, const char* name) const {
    double d = 0;
    bool ok = i < info.Length() && napi_get_value_double(info.Env(), info[i], &d) == napi_ok && std::isfinite(d) &&
              d == std::trunc(d) && d > 0 && d < 9007199254740992.0 && is_kind(static_cast<int64_t>(d));
    if (!ok) throw_type("argument '" + std::string(name) + "' (position " + std::to_string(i + 1) + ") must be a " + what_);
    return static_cast<int64_t>(d);
  }

  // Drops the table's reference (idempotent). The object itself dies after the lock is released.
  void free(int64_t id) {
    std::shared_ptr<T> drop;
    std::lock_guard<std::mutex> lk(mu_);
    auto it = items_.find(id);
    if (it == items_.end()) return;
    drop = std::move(it->second.obj);
    items_.erase(it);
  }

  size_t live() const {
    std::lock_guard<std::mutex> lk(mu_);
    return items_.size();
  }

 private:
  struct Item {
    std::shared_ptr<T> obj;
    const State* owner;
  };
  struct HookArg {
    ObjectTable* table;
    const State* owner;
  };
  static void free_owned_by(void* p) {
    std::unique_ptr<HookArg> a(static_cast<HookArg*>(p));
    std::vector<std::shared_ptr<T>> drop;  // released after the lock
    std::lock_guard<std::mutex> lk(a->table->mu_);
    a->table->hooked_.erase(a->owner);
    for (auto it = a->table->items_.begin(); it != a->table->items_.end();) {
      if (it->second.owner == a->owner) {
        drop.push_back(std::move(it->second.obj));
        it = a->table->items_.erase(it);
      } else {
        ++it;
      }
    }
  }

  const ObjKind kind_;
  const char* what_;
  mutable std::mutex mu_;
  std::unordered_map<int64_t, Item> items_;
  std::unordered_set<const State*> hooked_;
};

}  // namespace tn
