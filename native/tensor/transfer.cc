// Tensors moved between JS environments (worker_threads) without copying their data. The sending
// thread parks one at::Tensor reference in a process-wide table under a fresh id and posts the id;
// the receiving thread takes the reference out and registers it in its own handle registry.
// Ownership: a parked entry owns one reference (so the storage outlives the sender's handle);
// unpark moves it into the receiver's registry; drop_group releases what a group never delivered
// (messages lost when a worker is terminated). at::Tensor's refcount is atomic, so a reference may
// be released on any thread. Ids are never reused.
#include "../common/core.h"
#include <mutex>
#include <unordered_map>

namespace tn {

namespace {
struct Parked {
  at::Tensor t;
  int64_t group;
};
std::mutex p_mu;
std::unordered_map<int64_t, Parked>& parked() {
  static auto* m = new std::unordered_map<int64_t, Parked>();  // process lifetime
  return *m;
}
int64_t p_next = 1;
}  // namespace

// [sync] _tensor_park(h, group) -> id: parks a reference to the tensor (no copy). TorchError for a
// disposed tensor.
TN_FN_NOROLL(_tensor_park) {
  at::Tensor t = tensor_arg(info, 0, "tensor");
  int64_t group = int_arg(info, 1, "group");
  std::lock_guard<std::mutex> lk(p_mu);
  int64_t id = p_next++;
  parked().emplace(id, Parked{std::move(t), group});
  return Napi::Number::New(info.Env(), static_cast<double>(id));
}

// [sync] _tensor_unpark(id) -> handle in this thread's registry. TorchError for an id that was
// already taken or dropped.
TN_FN(_tensor_unpark) {
  int64_t id = int_arg(info, 0, "id");
  at::Tensor t;
  {
    std::lock_guard<std::mutex> lk(p_mu);
    auto it = parked().find(id);
    if (it == parked().end()) throw_torch("the transferred tensor " + std::to_string(id) + " was already received or released");
    t = std::move(it->second.t);
    parked().erase(it);
  }
  return ret(info.Env(), t);
}

// [sync] _tensor_drop_group(group) -> number of parked tensors released.
TN_FN_NOROLL(_tensor_drop_group) {
  int64_t group = int_arg(info, 0, "group");
  std::vector<at::Tensor> dead;  // released outside the lock
  {
    std::lock_guard<std::mutex> lk(p_mu);
    for (auto it = parked().begin(); it != parked().end();) {
      if (it->second.group == group) {
        dead.push_back(std::move(it->second.t));
        it = parked().erase(it);
      } else {
        ++it;
      }
    }
  }
  return Napi::Number::New(info.Env(), static_cast<double>(dead.size()));
}

// [sync] _tensor_parked() -> number of tensors parked by every thread (for leak tests).
TN_FN_NOROLL(_tensor_parked) {
  std::lock_guard<std::mutex> lk(p_mu);
  return Napi::Number::New(info.Env(), static_cast<double>(parked().size()));
}

}  // namespace tn
