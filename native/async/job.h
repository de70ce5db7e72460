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
  return Napi::Value(env, error_value(env, CapturedError{ErrKind::Torch, msg}));
}

// Base for jobs that end by calling a JS callback (err, value) on the JS thread.
// The libtorch warnings Run() raises on the pool thread are kept with the job and handed to JS in
// OnOK/OnError, before the callback; the error keeps its class (IndexError, LinAlgError, ...).
class Job : public Napi::AsyncWorker {
 public:
  explicit Job(Napi::Function cb) : Napi::AsyncWorker(cb, "torch-node:async") {}

 protected:
  void Execute() override {
    WarningCapture cap;
    try {
      apply_intraop_threads();
      Run();
    } catch (...) {
      error_ = capture_error(std::current_exception());
      SetError(error_.message);
    }
    warnings_ = cap.take();
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
      emit_warnings(env, warnings_);
      bool warned_error = false;  // the warn function threw (node --throw-deprecation)
      napi_is_exception_pending(env, &warned_error);
      if (warned_error) throw std::runtime_error("warning");
      begin_call(env);
      v = Result(env);
      if (warnings_pending()) flush_warnings(env);
    } catch (...) {
      v = nullptr;
      try {
        bool pending = false;
        napi_is_exception_pending(env, &pending);
        napi_value e = nullptr;
        if (pending) napi_get_and_clear_last_exception(env, &e);
        else e = error_value(env, capture_error(std::current_exception()));
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
      emit_warnings(env, warnings_);
      bool pending = false;
      napi_is_exception_pending(env, &pending);
      napi_value err = nullptr;
      if (pending) napi_get_and_clear_last_exception(env, &err);
      else err = error_value(env, error_.message.empty() ? CapturedError{ErrKind::Torch, e.Message()} : error_);
      Deliver(env, err, nullptr);
    } catch (...) {
    }
  }

 private:
  CapturedError error_;
  std::vector<PendingWarning> warnings_;
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
