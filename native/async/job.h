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

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Value v;
    try {
      begin_call(env);
      v = Result(env);
    } catch (...) {
      bool pending = false;
      napi_is_exception_pending(env, &pending);
      if (pending) {
        napi_value e;
        napi_get_and_clear_last_exception(env, &e);
        Callback().Call({Napi::Value(env, e)});
      } else {
        Callback().Call({torch_error(env, message_of(std::current_exception()))});
      }
      return;
    }
    Callback().Call({env.Null(), v});
  }
  void OnError(const Napi::Error& e) override {
    Napi::Env env = Env();
    Callback().Call({torch_error(env, e.Message())});
  }
};

}  // namespace tn
