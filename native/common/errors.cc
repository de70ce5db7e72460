// The error guard's back half: turns the C++ exception in flight into a JS exception, and the
// collection of libtorch warnings that the guard hands to JS after each call.
// JS error classes and the warn function come from lib/errors.ts at load (see addon.cc `_init`).
#include "core.h"
#include "state.h"
#include <atomic>
#include <new>

namespace tn {

void throw_type(const std::string& msg) { throw ArgError(ErrKind::Type, msg); }
void throw_range(const std::string& msg) { throw ArgError(ErrKind::Range, msg); }
void throw_torch(const std::string& msg) { throw ArgError(ErrKind::Torch, msg); }

// libtorch messages end with a source location line ("Exception raised from ... (most recent
// call first):") only in the full what(); what_without_backtrace() has the message proper.
// The most derived c10 types are caught first (OutOfMemoryError, LinAlgError, ... are Errors).
CapturedError capture_error(std::exception_ptr p) {
  try {
    std::rethrow_exception(p);
  } catch (const ArgError& e) {
    return {e.kind, e.what()};
  } catch (const c10::IndexError& e) {
    return {ErrKind::Index, e.what_without_backtrace()};
  } catch (const c10::ValueError& e) {
    return {ErrKind::Value, e.what_without_backtrace()};
  } catch (const c10::TypeError& e) {
    return {ErrKind::TorchType, e.what_without_backtrace()};
  } catch (const c10::NotImplementedError& e) {
    return {ErrKind::NotImplemented, e.what_without_backtrace()};
  } catch (const c10::LinAlgError& e) {
    return {ErrKind::LinAlg, e.what_without_backtrace()};
  } catch (const c10::OutOfMemoryError& e) {
    return {ErrKind::OutOfMemory, e.what_without_backtrace()};
  } catch (const c10::Error& e) {
    return {ErrKind::Torch, e.what_without_backtrace()};
  } catch (const Napi::Error& e) {
    return {ErrKind::Torch, e.Message()};
  } catch (const std::bad_alloc&) {
    return {ErrKind::OutOfMemory, "out of memory: the allocation could not be satisfied"};
  } catch (const std::exception& e) {
    return {ErrKind::Torch, e.what()};
  } catch (...) {
    return {ErrKind::Torch, "unknown native error"};
  }
}

napi_value error_value(napi_env env, const CapturedError& e) {
  napi_value m, err = nullptr;
  napi_create_string_utf8(env, e.message.c_str(), e.message.size(), &m);
  if (has_state()) {
    State& st = state();
    napi_value ctor = st.ctor(env, st.error_class[static_cast<size_t>(e.kind)]);
    if (!ctor && e.kind != ErrKind::Type && e.kind != ErrKind::Range) ctor = st.torch_error_ctor(env);
    if (ctor) napi_new_instance(env, ctor, 1, &m, &err);
  }
  if (!err) {
    if (e.kind == ErrKind::Type || e.kind == ErrKind::TorchType) napi_create_type_error(env, nullptr, m, &err);
    else if (e.kind == ErrKind::Range || e.kind == ErrKind::Index || e.kind == ErrKind::Value) napi_create_range_error(env, nullptr, m, &err);
    else napi_create_error(env, nullptr, m, &err);
  }
  return err;
}

void rethrow_to_js(napi_env env) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  // A JS exception already pending (thrown by a napi call or by a JS callback) stays in place.
  if (pending) return;
  napi_throw(env, error_value(env, capture_error(std::current_exception())));
}

// ---------------------------------------------------------------- warnings
namespace {
// Warnings collected by JS threads' handlers and not yet handed to JS, over all threads: the guard
// reads this plain counter after every call (cheaper than a thread_local lookup), and only when it
// is non-zero looks at its own thread's collector.
std::atomic<int64_t> g_js_pending{0};

struct Collector : c10::WarningHandler {
  std::vector<PendingWarning> got;
  bool js_thread = false;
  void add(PendingWarning w) {
    got.push_back(std::move(w));
    if (js_thread) g_js_pending.fetch_add(1, std::memory_order_relaxed);
  }
#if TORCH_VERSION_MAJOR >= 2
  void process(const c10::Warning& w) override {
    add({w.msg(), std::holds_alternative<c10::Warning::DeprecationWarning>(w.type())});
  }
#else
  void process(const c10::SourceLocation&, const std::string& msg, const bool) override { add({msg, false}); }
#endif
};
#if TORCH_VERSION_MAJOR >= 2
using HandlerGuard = c10::WarningUtils::WarningHandlerGuard;
void set_handler(c10::WarningHandler* h) { c10::WarningUtils::set_warning_handler(h); }
#else
using HandlerGuard = c10::Warning::WarningHandlerGuard;
void set_handler(c10::WarningHandler* h) { c10::Warning::set_warning_handler(h); }
#endif
// The JS thread's collector (libtorch's handler pointer is per thread).
thread_local Collector* t_js_collector = nullptr;

struct CaptureImpl {
  Collector c;
  HandlerGuard g{&c};
};
}  // namespace

WarningCapture::WarningCapture() : impl(new CaptureImpl()) {}
WarningCapture::~WarningCapture() { delete static_cast<CaptureImpl*>(impl); }
std::vector<PendingWarning> WarningCapture::take() {
  std::vector<PendingWarning> out;
  out.swap(static_cast<CaptureImpl*>(impl)->c.got);
  return out;
}

void install_warning_handler() {
  if (!t_js_collector) {
    t_js_collector = new Collector();  // lives as long as the thread
    t_js_collector->js_thread = true;
  }
  set_handler(t_js_collector);
}

bool warnings_pending() {
  return g_js_pending.load(std::memory_order_relaxed) != 0 && t_js_collector && !t_js_collector->got.empty();
}

void emit_warnings(napi_env env, const std::vector<PendingWarning>& ws) {
  if (ws.empty() || !has_state()) return;
  napi_value fn = state().ctor(env, state().warn_fn);
  if (!fn) return;  // before _init: nothing to hand them to
  napi_value recv;
  napi_get_undefined(env, &recv);
  for (const PendingWarning& w : ws) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) return;
    napi_value args[2], out;
    napi_create_string_utf8(env, w.message.c_str(), w.message.size(), &args[0]);
    const char* cat = w.deprecation ? "DeprecationWarning" : "UserWarning";
    napi_create_string_utf8(env, cat, NAPI_AUTO_LENGTH, &args[1]);
    napi_call_function(env, recv, fn, 2, args, &out);
  }
}

void flush_warnings(napi_env env) {
  std::vector<PendingWarning> ws;
  ws.swap(t_js_collector->got);
  g_js_pending.fetch_sub(static_cast<int64_t>(ws.size()), std::memory_order_relaxed);
  emit_warnings(env, ws);
}

}  // namespace tn
