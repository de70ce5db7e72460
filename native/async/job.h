// The base of every job that runs on the libuv thread pool and ends by calling a JS callback
// (err, value) on the JS thread that queued it.
// Invariants: Run() executes on a pool thread and touches only what the job copied when it was
// constructed on the JS thread (at::Tensor copies, plain values), never N-API or the handle
// registry; Result() runs on the JS thread and registers result tensors there.
#pragma once
#include "../common/core.h"
#include "../common/state.h"
#include <ATen/Parallel.h>

namespace tn {

// A libuv pool thread is not the thread that called torch.set_num_threads: its OpenMP thread count
// (read by ATen's kernels and by an OpenMP build of OpenBLAS) starts at one per core, so two jobs
// in flight would each start a full OpenMP team and oversubscribe the cores. Before each job this
// applies the process's intra-op count to the pool thread, as PyTorch does on the threads it starts
// (at::init_num_threads), and again whenever the count has changed since.
inline void apply_intraop_threads() {
  thread_local int applied = -1;
  const int n = at::get_num_threads();
  if (n != applied) {
    at::init_num_threads();
    applied = n;
  }
}

// The error object for a message produced on the pool: a TorchError of this thread's addon.
inline Napi::Value torch_error(Napi::Env env, const std::string& msg) {
  napi_value m, err = nullptr;
  napi_create_string_utf8(env, msg.c_str(), msg.size(), &m);
  napi_value ctor = state().torch_error_ctor(env);
  if (ctor) napi_new_instance(env, ctor, 1, &m, &err);
  if (!err) napi_create_error(env, nullptr, m, &err);
  return Napi::Value(env, err);
}

inline std::string message_of(std::exception_ptr p) {
  try {
    std::rethrow_exception(p);
  } catch (const c10::Error& e) {
    return e.what_without_backtrace();
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown native error";
  }
}

// Base for jobs that end by calling a JS callback (err, value) on the JS thread.
class Job : public Napi::AsyncWorker {
 public:
  explicit Job(Napi::Function cb) : Napi::AsyncWorker(cb, "torch-node:async") {}

 protected:
  void Execute() override {
    try {
      apply_intraop_threads();
      Run();
    } catch (...) {
      SetError(message_of(std::current_exception()));
    }
  }
  virtual void Run() = 0;
  // Builds the callback's value on the JS thread.
  virtual Napi::Value Result(Napi::Env env) = 0;

  // OnOK/OnError may run while the job's environment is torn down (its worker_thread exits or is
  // terminated with the job in flight): JS can no longer run, the registry may be gone, and a
  // C++ exception leaving here would reach std::terminate. So nothing here throws: results are
  // delivered with raw N-API calls whose failure is ignored (nobody is left to receive them).
  void OnOK() override {
    if (!has_state()) return;
    napi_env env = Env();
    napi_value v = nullptr;
    try {
      begin_call(env);
      v = Result(env);
    } catch (...) {
      v = nullptr;
      try {
        bool pending = false;
        napi_is_exception_pending(env, &pending);
        napi_value e = nullptr;
        if (pending) napi_get_and_clear_last_exception(env, &e);
        else e = torch_error(env, message_of(std::current_exception()));
        Deliver(env, e, nullptr);
      } catch (...) {
      }
      return;
    }
    napi_value null = nullptr;
    napi_get_null(env, &null);
    Deliver(env, null, v);
  }
  void OnError(const Napi::Error& e) override {
    if (!has_state()) return;
    napi_env env = Env();
    try {
      Deliver(env, torch_error(env, e.Message()), nullptr);
    } catch (...) {
    }
  }

 private:
  // Calls the callback with (err) or (err, value). A JS exception the callback throws stays
  // pending and becomes Node's uncaught exception, as with any async callback.
  void Deliver(napi_env env, napi_value err, napi_value value) {
    napi_value cb = nullptr, recv = nullptr, out = nullptr;
    if (napi_get_reference_value(env, static_cast<napi_ref>(Callback()), &cb) != napi_ok || cb == nullptr) return;
    napi_get_undefined(env, &recv);
    napi_value args[2] = {err, value};
    napi_call_function(env, recv, cb, value ? 2 : 1, args, &out);
  }
};

}  // namespace tn
