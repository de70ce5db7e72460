// The error guard's back half: turns the C++ exception in flight into a JS exception.
// JS error classes come from lib/errors.ts at load (see addon.cc `_init`).
#include "core.h"
#include "state.h"

namespace tn {

void throw_type(const std::string& msg) { throw ArgError(ErrKind::Type, msg); }
void throw_range(const std::string& msg) { throw ArgError(ErrKind::Range, msg); }
void throw_torch(const std::string& msg) { throw ArgError(ErrKind::Torch, msg); }

static void throw_js(napi_env env, ErrKind kind, const std::string& msg) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  napi_value m, err = nullptr;
  napi_create_string_utf8(env, msg.c_str(), msg.size(), &m);
  if (kind == ErrKind::Torch) {
    napi_value ctor = state().torch_error_ctor(env);
    if (ctor) napi_new_instance(env, ctor, 1, &m, &err);
    if (!err) napi_create_error(env, nullptr, m, &err);
  } else {
    napi_value ctor = state().ctor(env, kind == ErrKind::Type ? state().type_error : state().range_error);
    if (ctor) napi_new_instance(env, ctor, 1, &m, &err);
    if (!err && kind == ErrKind::Type) napi_create_type_error(env, nullptr, m, &err);
    if (!err) napi_create_range_error(env, nullptr, m, &err);
  }
  napi_throw(env, err);
}

// libtorch messages end with a source location line ("Exception raised from ... (most recent
// call first):") only in the full what(); what_without_backtrace() has the message proper.
void rethrow_to_js(napi_env env) {
  try {
    throw;
  } catch (const ArgError& e) {
    throw_js(env, e.kind, e.what());
  } catch (const c10::IndexError& e) {
    throw_js(env, ErrKind::Torch, e.what_without_backtrace());
  } catch (const c10::Error& e) {
    throw_js(env, ErrKind::Torch, e.what_without_backtrace());
  } catch (const Napi::Error& e) {
    // A JS exception is already pending (thrown by a napi call); leave it in place.
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) throw_js(env, ErrKind::Torch, e.Message());
  } catch (const std::bad_alloc&) {
    throw_js(env, ErrKind::Torch, "out of memory: the allocation could not be satisfied");
  } catch (const std::exception& e) {
    throw_js(env, ErrKind::Torch, e.what());
  } catch (...) {
    throw_js(env, ErrKind::Torch, "unknown native error");
  }
}

}  // namespace tn
