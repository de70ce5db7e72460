// torch.distributed entry points over c10d. Ownership: JS holds type-tagged externals that own a
// shared_ptr to a StoreBox / PGBox / WorkBox; every WorkBox owns at::Tensor references to what its
// collective touches, so a collective stays valid after JS disposes its tensors. Collectives are
// started on the JS thread (c10d queues them on the backend's own threads) and waited for either
// on the JS thread ([sync] wait) or on the libuv pool (wait_async → Promise).
#include "c10d.h"
#include "../common/state.h"
#include <algorithm>
#include <cstring>
#include <cstdlib>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#ifdef TN_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef TN_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace tn {
namespace dist {

namespace {
const napi_type_tag kStoreTag = {0x7a1c3e0d5b6f4a21ULL, 0x9e2d4c6b8a0f1e31ULL};
const napi_type_tag kPGTag = {0x7a1c3e0d5b6f4a22ULL, 0x9e2d4c6b8a0f1e32ULL};
const napi_type_tag kWorkTag = {0x7a1c3e0d5b6f4a23ULL, 0x9e2d4c6b8a0f1e33ULL};

template <class T>
Napi::Value wrap(napi_env env, std::shared_ptr<T> p, const napi_type_tag* tag) {
  auto* holder = new std::shared_ptr<T>(std::move(p));
  Napi::Value ext = owned_external(env, holder);
  napi_type_tag_object(env, ext, tag);
  return ext;
}

template <class T>
std::shared_ptr<T> unwrap(const Info& info, size_t i, const napi_type_tag* tag, const char* name, const char* kind) {
  Napi::Value v = info[i];
  bool ok = false;
  if (v.IsExternal()) napi_check_object_type_tag(info.Env(), v, tag, &ok);
  if (!ok) throw_type(std::string("argument '") + name + "' must be a " + kind);
  auto* h = v.As<Napi::External<std::shared_ptr<T>>>().Data();
  if (!*h) throw_torch(std::string(name) + ": the " + kind + " was destroyed");
  return *h;
}

std::string error_text(std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const c10::Error& e) {
    return e.what_without_backtrace();
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

c10d::ReduceOp reduce_op_arg(const Info& info, size_t i) {
  int64_t op = int_arg(info, i, "op");
  if (op < 0 || op > 7) throw_range("invalid ReduceOp " + std::to_string(op));
  return c10d::ReduceOp(static_cast<c10d::ReduceOp::RedOpType>(op));
}

// The tensor argument of a collective: dense, and (for Gloo) on the CPU.
at::Tensor coll_tensor(const Info& info, size_t i, const char* name) {
  at::Tensor t = tensor_arg(info, i, name);
  if (t.layout() != at::kStrided) throw_torch(std::string(name) + ": only dense (strided) tensors are supported");
  if (!t.is_contiguous()) throw_torch(std::string(name) + ": tensors must be contiguous");
  return t;
}

std::vector<at::Tensor> coll_tensor_list(const Info& info, size_t i, const char* name) {
  std::vector<at::Tensor> ts = tensor_list_arg(info, i, name);
  for (const auto& t : ts)
    if (!t.is_contiguous()) throw_torch(std::string(name) + ": tensors must be contiguous");
  return ts;
}

Napi::Value start(napi_env env, const PGBox& pg, const char* what, c10::intrusive_ptr<c10d::Work> w,
                  std::vector<at::Tensor> keep, std::function<void()> finish = nullptr) {
  auto box = std::make_shared<WorkBox>();
  box->work = std::move(w);
  box->keep = std::move(keep);
  box->finish = std::move(finish);
  box->what = what;
  (void)pg;
  return wrap_work(env, box);
}
}  // namespace

Napi::Value wrap_store(napi_env env, std::shared_ptr<StoreBox> s) { return wrap(env, std::move(s), &kStoreTag); }
Napi::Value wrap_pg(napi_env env, std::shared_ptr<PGBox> pg) { return wrap(env, std::move(pg), &kPGTag); }
Napi::Value wrap_work(napi_env env, std::shared_ptr<WorkBox> w) { return wrap(env, std::move(w), &kWorkTag); }
std::shared_ptr<StoreBox> store_arg(const Info& info, size_t i, const char* name) {
  return unwrap<StoreBox>(info, i, &kStoreTag, name, "Store");
}
std::shared_ptr<PGBox> pg_arg(const Info& info, size_t i, const char* name) {
  auto p = unwrap<PGBox>(info, i, &kPGTag, name, "ProcessGroup");
  if (!p->pg) throw_torch("the process group was destroyed (destroy_process_group)");
  return p;
}
std::shared_ptr<WorkBox> work_arg(const Info& info, size_t i, const char* name) {
  return unwrap<WorkBox>(info, i, &kWorkTag, name, "Work");
}

bool WorkBox::wait(int64_t timeout_ms) {
  std::lock_guard<std::mutex> lk(mu);
  if (finished) return true;
  bool ok;
  try {
    ok = timeout_ms < 0 ? work->wait() : work->wait(std::chrono::milliseconds(timeout_ms));
  } catch (...) {
    throw std::runtime_error(what + " failed: " + error_text(std::current_exception()));
  }
  if (finish) finish();
  finished = true;
  keep.clear();
  return ok;
}

void broadcast_coalesced(PGBox& pg, const std::vector<at::Tensor>& tensors, int root, int64_t bucket_bytes) {
  size_t k = 0;
  while (k < tensors.size()) {
    // A run of tensors with one dtype/device, at most bucket_bytes (at least one tensor).
    std::vector<at::Tensor> run{tensors[k]};
    int64_t bytes = tensors[k].numel() * tensors[k].element_size();
    size_t j = k + 1;
    for (; j < tensors.size(); j++) {
      const auto& t = tensors[j];
      int64_t b = t.numel() * t.element_size();
      if (t.scalar_type() != tensors[k].scalar_type() || t.device() != tensors[k].device() || bytes + b > bucket_bytes) break;
      run.push_back(t);
      bytes += b;
    }
    std::vector<at::Tensor> flat_parts;
    for (const auto& t : run) flat_parts.push_back(t.detach().reshape({-1}));
    std::vector<at::Tensor> io{at::cat(flat_parts)};
    c10d::BroadcastOptions o;
    o.rootRank = root;
    auto w = pg.pg->broadcast(io, o);
    WorkBox box;
    box.work = w;
    box.what = "broadcast";
    box.wait(-1);
    if (pg.rank != root) {
      at::NoGradGuard ng;
      int64_t off = 0;
      for (const auto& t : run) {
        int64_t n = t.numel();
        t.detach().copy_(io[0].narrow(0, off, n).view(t.sizes()));
        off += n;
      }
    }
    k = j;
  }
}

std::vector<std::string> compiled_backends() {
  std::vector<std::string> b;
#ifdef TN_WITH_GLOO
  b.push_back("gloo");
#endif
#ifdef TN_WITH_NCCL
  b.push_back("nccl");
#endif
  return b;
}

// [sync] _c10d_available() -> {gloo, nccl, mpi}: the backends this build can create.
TN_FN_NOROLL(_c10d_available) {
  Napi::Object o = Napi::Object::New(info.Env());
  std::vector<std::string> b = compiled_backends();
  for (const char* name : {"gloo", "nccl", "mpi"}) o.Set(name, std::find(b.begin(), b.end(), name) != b.end());
  return o;
}

// [sync] _c10d_tcp_store(host, port, world_size|null, is_master, timeout_ms, wait_for_workers) -> Store.
// Blocks until connected (clients retry until the timeout). Throws TorchError on timeout / bind failure.
TN_FN_NOROLL(_c10d_tcp_store) {
  std::string host = string_arg(info, 0, "host_name");
  int64_t port = int_arg(info, 1, "port");
  if (port < 0 || port > 65535) throw_range("port must be in [0, 65535], got " + std::to_string(port));
  auto ws = opt_int_arg(info, 2, "world_size");
  bool is_master = bool_arg(info, 3, "is_master");
  int64_t timeout = int_arg(info, 4, "timeout");
  bool wait_workers = bool_arg(info, 5, "wait_for_workers");
  c10d::TCPStoreOptions o;
  o.port = static_cast<uint16_t>(port);
  o.isServer = is_master;
  if (ws && *ws > 0) o.numWorkers = static_cast<size_t>(*ws);
  o.waitWorkers = wait_workers && ws.has_value();
  o.timeout = std::chrono::milliseconds(timeout);
  o.multiTenant = true;
  auto box = std::make_shared<StoreBox>();
  box->store = c10::make_intrusive<c10d::TCPStore>(host, o);
  return wrap_store(info.Env(), box);
}

// [sync] _c10d_tcp_store_port(store) -> the port a TCPStore listens on / connects to.
TN_FN_NOROLL(_c10d_tcp_store_port) {
  auto s = store_arg(info, 0, "store");
  auto* tcp = dynamic_cast<c10d::TCPStore*>(s->store.get());
  if (!tcp) throw_type("store is not a TCPStore");
  return Napi::Number::New(info.Env(), tcp->getPort());
}

// [sync] _c10d_file_store(path, world_size) -> Store. Throws TorchError if the file cannot be opened.
TN_FN_NOROLL(_c10d_file_store) {
  std::string path = string_arg(info, 0, "file_name");
  int64_t ws = int_arg(info, 1, "world_size");
  auto box = std::make_shared<StoreBox>();
  box->store = c10::make_intrusive<c10d::FileStore>(path, static_cast<int>(ws));
  return wrap_store(info.Env(), box);
}

// [sync] _c10d_prefix_store(prefix, store) -> Store whose keys are prefixed with `prefix/`.
TN_FN_NOROLL(_c10d_prefix_store) {
  std::string prefix = string_arg(info, 0, "prefix");
  auto s = store_arg(info, 1, "store");
  auto box = std::make_shared<StoreBox>();
  box->store = c10::make_intrusive<c10d::PrefixStore>(prefix, s->store);
  return wrap_store(info.Env(), box);
}

// [sync] _c10d_store_set(store, key, value: string|Uint8Array).
TN_FN_NOROLL(_c10d_store_set) {
  auto s = store_arg(info, 0, "store");
  std::string key = string_arg(info, 1, "key");
  std::vector<uint8_t> v;
  if (info[2].IsString()) {
    std::string str = info[2].As<Napi::String>().Utf8Value();
    v.assign(str.begin(), str.end());
  } else if (info[2].IsTypedArray()) {
    Napi::Uint8Array a = info[2].As<Napi::Uint8Array>();
    v.assign(a.Data(), a.Data() + a.ByteLength());
  } else {
    throw_type("argument 'value' must be a string or Uint8Array");
  }
  s->store->set(key, v);
  return info.Env().Undefined();
}

// [sync] _c10d_store_get(store, key) -> Buffer. Blocks until the key exists; TorchError on timeout.
TN_FN_NOROLL(_c10d_store_get) {
  auto s = store_arg(info, 0, "store");
  std::vector<uint8_t> v = s->store->get(string_arg(info, 1, "key"));
  return Napi::Buffer<uint8_t>::Copy(info.Env(), v.data(), v.size());
}

// [sync] _c10d_store_add(store, key, amount) -> the new value.
TN_FN_NOROLL(_c10d_store_add) {
  auto s = store_arg(info, 0, "store");
  int64_t r = s->store->add(string_arg(info, 1, "key"), int_arg(info, 2, "amount"));
  return Napi::Number::New(info.Env(), static_cast<double>(r));
}

// [sync] _c10d_store_wait(store, keys[], timeout_ms|null). TorchError on timeout.
TN_FN_NOROLL(_c10d_store_wait) {
  auto s = store_arg(info, 0, "store");
  if (!info[1].IsArray()) throw_type("argument 'keys' must be a list of strings");
  Napi::Array a = info[1].As<Napi::Array>();
  std::vector<std::string> keys;
  for (uint32_t k = 0; k < a.Length(); k++) {
    Napi::Value v = a.Get(k);
    if (!v.IsString()) throw_type("argument 'keys' must be a list of strings");
    keys.push_back(v.As<Napi::String>().Utf8Value());
  }
  auto t = opt_int_arg(info, 2, "timeout");
  if (t) s->store->wait(keys, std::chrono::milliseconds(*t));
  else s->store->wait(keys);
  return info.Env().Undefined();
}

// [sync] _c10d_store_delete_key(store, key) -> bool; _c10d_store_num_keys(store) -> number;
// _c10d_store_set_timeout(store, ms).
TN_FN_NOROLL(_c10d_store_delete_key) {
  auto s = store_arg(info, 0, "store");
  return Napi::Boolean::New(info.Env(), s->store->deleteKey(string_arg(info, 1, "key")));
}
TN_FN_NOROLL(_c10d_store_num_keys) {
  auto s = store_arg(info, 0, "store");
  return Napi::Number::New(info.Env(), static_cast<double>(s->store->getNumKeys()));
}
TN_FN_NOROLL(_c10d_store_set_timeout) {
  auto s = store_arg(info, 0, "store");
  s->store->setTimeout(std::chrono::milliseconds(int_arg(info, 1, "timeout")));
  return info.Env().Undefined();
}

// [sync] _c10d_new_group(backend, store, rank, world_size, timeout_ms) -> ProcessGroup.
// Connects to every peer (a rendezvous through the store). TorchError on timeout or an unknown or
// unavailable backend.
TN_FN_NOROLL(_c10d_new_group) {
  std::string backend = string_arg(info, 0, "backend");
  auto s = store_arg(info, 1, "store");
  int64_t rank = int_arg(info, 2, "rank");
  int64_t size = int_arg(info, 3, "world_size");
  int64_t timeout = int_arg(info, 4, "timeout");
  if (size < 1) throw_range("world_size must be positive, got " + std::to_string(size));
  if (rank < 0 || rank >= size) throw_range("rank " + std::to_string(rank) + " is out of range for world_size " + std::to_string(size));
  auto box = std::make_shared<PGBox>();
  box->backend = backend;
  box->rank = static_cast<int>(rank);
  box->size = static_cast<int>(size);
  box->timeout = std::chrono::milliseconds(timeout);
  if (backend == "gloo") {
#ifdef TN_WITH_GLOO
    auto opts = c10d::ProcessGroupGloo::Options::create(std::chrono::milliseconds(timeout));
    const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
    if (ifname && *ifname) {
      std::string all(ifname);
      size_t p = 0;
      while (p <= all.size()) {
        size_t q = all.find(',', p);
        if (q == std::string::npos) q = all.size();
        if (q > p) opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(all.substr(p, q - p)));
        p = q + 1;
      }
    } else {
      opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    box->pg = c10::make_intrusive<c10d::ProcessGroupGloo>(s->store, static_cast<int>(rank), static_cast<int>(size), opts);
#else
    throw_torch("the Gloo backend is not available: libtorch was built without USE_C10D_GLOO or the gloo headers were not found");
#endif
  } else if (backend == "nccl") {
#ifdef TN_WITH_NCCL
    auto opts = c10d::ProcessGroupNCCL::Options::create();
    opts->timeout = std::chrono::milliseconds(timeout);
    box->pg = c10::make_intrusive<c10d::ProcessGroupNCCL>(s->store, static_cast<int>(rank), static_cast<int>(size), opts);
#else
    throw_torch("Distributed package doesn't have NCCL built in");
#endif
  } else if (backend == "mpi") {
    throw_torch("Distributed package doesn't have MPI built in. MPI is only included if you build PyTorch from source on a host that has MPI installed.");
  } else {
    throw_range("Invalid backend: '" + backend + "'");
  }
  return wrap_pg(info.Env(), box);
}

// [sync] _c10d_destroy(pg): drops the backend (closes its connections); later use is a TorchError.
TN_FN_NOROLL(_c10d_destroy) {
  Napi::Value v = info[0];
  bool ok = false;
  if (v.IsExternal()) napi_check_object_type_tag(info.Env(), v, &kPGTag, &ok);
  if (!ok) throw_type("argument 'group' must be a ProcessGroup");
  auto* h = v.As<Napi::External<std::shared_ptr<PGBox>>>().Data();
  if (*h) (*h)->pg.reset();
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- collectives
// Each [sync] start; returns a Work (wait with _c10d_work_wait / _c10d_work_wait_async).
// Argument problems are TypeError/RangeError; backend refusals (dtype, op) are TorchError.

// _c10d_broadcast(pg, tensor, src_group_rank)
TN_FN_NOROLL(_c10d_broadcast) {
  auto pg = pg_arg(info, 0, "group");
  std::vector<at::Tensor> ts{coll_tensor(info, 1, "tensor")};
  c10d::BroadcastOptions o;
  o.rootRank = int_arg(info, 2, "src");
  return start(info.Env(), *pg, "broadcast", pg->pg->broadcast(ts, o), ts);
}

// _c10d_allreduce(pg, tensor, op)
TN_FN_NOROLL(_c10d_allreduce) {
  auto pg = pg_arg(info, 0, "group");
  std::vector<at::Tensor> ts{coll_tensor(info, 1, "tensor")};
  c10d::AllreduceOptions o;
  o.reduceOp = reduce_op_arg(info, 2);
  return start(info.Env(), *pg, "all_reduce", pg->pg->allreduce(ts, o), ts);
}

// _c10d_reduce(pg, tensor, dst_group_rank, op)
TN_FN_NOROLL(_c10d_reduce) {
  auto pg = pg_arg(info, 0, "group");
  std::vector<at::Tensor> ts{coll_tensor(info, 1, "tensor")};
  c10d::ReduceOptions o;
  o.rootRank = int_arg(info, 2, "dst");
  o.reduceOp = reduce_op_arg(info, 3);
  return start(info.Env(), *pg, "reduce", pg->pg->reduce(ts, o), ts);
}

// _c10d_allgather(pg, tensor_list, tensor)
TN_FN_NOROLL(_c10d_allgather) {
  auto pg = pg_arg(info, 0, "group");
  std::vector<std::vector<at::Tensor>> out{coll_tensor_list(info, 1, "tensor_list")};
  std::vector<at::Tensor> in{coll_tensor(info, 2, "tensor")};
  if (static_cast<int>(out[0].size()) != pg->size)
    throw_range("all_gather: tensor_list must hold world_size (" + std::to_string(pg->size) + ") tensors, got " + std::to_string(out[0].size()));
  std::vector<at::Tensor> keep = out[0];
  keep.push_back(in[0]);
  return start(info.Env(), *pg, "all_gather", pg->pg->allgather(out, in), keep);
}

// _c10d_gather(pg, gather_list|null, tensor, dst_group_rank)
TN_FN_NOROLL(_c10d_gather) {
  auto pg = pg_arg(info, 0, "group");
  int64_t dst = int_arg(info, 3, "dst");
  std::vector<std::vector<at::Tensor>> out;
  std::vector<at::Tensor> in{coll_tensor(info, 2, "tensor")};
  std::vector<at::Tensor> keep = in;
  if (dst == pg->rank) {
    if (is_nullish(info, 1)) throw_torch("gather: the destination rank needs a gather_list");
    out.push_back(coll_tensor_list(info, 1, "gather_list"));
    if (static_cast<int>(out[0].size()) != pg->size)
      throw_range("gather: gather_list must hold world_size (" + std::to_string(pg->size) + ") tensors");
    keep.insert(keep.end(), out[0].begin(), out[0].end());
  } else if (!is_nullish(info, 1) && !tensor_list_arg(info, 1, "gather_list").empty()) {
    throw_torch("Argument ``gather_list`` must NOT be specified on non-destination ranks.");
  }
  c10d::GatherOptions o;
  o.rootRank = dst;
  return start(info.Env(), *pg, "gather", pg->pg->gather(out, in, o), keep);
}

// _c10d_scatter(pg, tensor, scatter_list|null, src_group_rank)
TN_FN_NOROLL(_c10d_scatter) {
  auto pg = pg_arg(info, 0, "group");
  std::vector<at::Tensor> out{coll_tensor(info, 1, "tensor")};
  int64_t src = int_arg(info, 3, "src");
  std::vector<std::vector<at::Tensor>> in;
  std::vector<at::Tensor> keep = out;
  if (src == pg->rank) {
    if (is_nullish(info, 2)) throw_torch("scatter: the source rank needs a scatter_list");
    in.push_back(coll_tensor_list(info, 2, "scatter_list"));
    if (static_cast<int>(in[0].size()) != pg->size)
      throw_range("scatter: scatter_list must hold world_size (" + std::to_string(pg->size) + ") tensors");
    keep.insert(keep.end(), in[0].begin(), in[0].end());
  } else if (!is_nullish(info, 2) && !tensor_list_arg(info, 2, "scatter_list").empty()) {
    throw_torch("Argument ``scatter_list`` must NOT be specified on non-source ranks.");
  }
  c10d::ScatterOptions o;
  o.rootRank = src;
  return start(info.Env(), *pg, "scatter", pg->pg->scatter(out, in, o), keep);
}

// _c10d_reduce_scatter(pg, output, input_list, op). Gloo has no reduce_scatter: there it is an
// all_reduce of the stacked inputs followed by a copy of this rank's slice.
TN_FN_NOROLL(_c10d_reduce_scatter) {
  auto pg = pg_arg(info, 0, "group");
  at::Tensor out = coll_tensor(info, 1, "output");
  std::vector<at::Tensor> ins = coll_tensor_list(info, 2, "input_list");
  if (static_cast<int>(ins.size()) != pg->size)
    throw_range("reduce_scatter: input_list must hold world_size (" + std::to_string(pg->size) + ") tensors");
  for (const auto& t : ins)
    if (!t.sizes().equals(out.sizes()) || t.scalar_type() != out.scalar_type())
      throw_torch("reduce_scatter: every input must have the output's shape and dtype");
  if (pg->backend == "gloo") {
    std::vector<at::Tensor> stacked{at::stack(ins)};
    c10d::AllreduceOptions o;
    o.reduceOp = reduce_op_arg(info, 3);
    int r = pg->rank;
    auto w = pg->pg->allreduce(stacked, o);
    at::Tensor st = stacked[0];
    return start(info.Env(), *pg, "reduce_scatter", w, {out, st}, [out, st, r]() mutable { out.copy_(st[r]); });
  }
  std::vector<at::Tensor> outs{out};
  std::vector<std::vector<at::Tensor>> inl{ins};
  c10d::ReduceScatterOptions o;
  o.reduceOp = reduce_op_arg(info, 3);
  std::vector<at::Tensor> keep = ins;
  keep.push_back(out);
  return start(info.Env(), *pg, "reduce_scatter", pg->pg->reduce_scatter(outs, inl, o), keep);
}

// _c10d_send(pg, tensor, dst_group_rank, tag)
TN_FN_NOROLL(_c10d_send) {
  auto pg = pg_arg(info, 0, "group");
  std::vector<at::Tensor> ts{coll_tensor(info, 1, "tensor")};
  int64_t dst = int_arg(info, 2, "dst");
  if (dst == pg->rank) throw_torch("Invalid destination rank: should not be the same as rank of the current process.");
  return start(info.Env(), *pg, "send", pg->pg->send(ts, static_cast<int>(dst), static_cast<int>(int_arg(info, 3, "tag"))), ts);
}

// _c10d_recv(pg, tensor, src_group_rank | -1 for any source, tag)
TN_FN_NOROLL(_c10d_recv) {
  auto pg = pg_arg(info, 0, "group");
  std::vector<at::Tensor> ts{coll_tensor(info, 1, "tensor")};
  int64_t src = int_arg(info, 2, "src");
  int tag = static_cast<int>(int_arg(info, 3, "tag"));
  if (src < 0) return start(info.Env(), *pg, "recv", pg->pg->recvAnysource(ts, tag), ts);
  return start(info.Env(), *pg, "recv", pg->pg->recv(ts, static_cast<int>(src), tag), ts);
}

// _c10d_barrier(pg)
TN_FN_NOROLL(_c10d_barrier) {
  auto pg = pg_arg(info, 0, "group");
  return start(info.Env(), *pg, "barrier", pg->pg->barrier(c10d::BarrierOptions()), {});
}

// [sync] _c10d_broadcast_coalesced(pg, tensors[], src_group_rank, bucket_bytes): broadcasts the
// tensors in flattened buckets and waits. TorchError if the collective fails.
TN_FN_NOROLL(_c10d_broadcast_coalesced) {
  auto pg = pg_arg(info, 0, "group");
  std::vector<at::Tensor> ts = tensor_list_arg(info, 1, "tensors");
  broadcast_coalesced(*pg, ts, static_cast<int>(int_arg(info, 2, "src")), int_arg(info, 3, "bucket_size"));
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- work

// [sync] _c10d_work_wait(work, timeout_ms|null) -> bool. Blocks the JS thread; TorchError with
// the backend's message when the collective failed (a peer exited, a timeout).
TN_FN_NOROLL(_c10d_work_wait) {
  auto w = work_arg(info, 0, "work");
  auto t = opt_int_arg(info, 1, "timeout");
  return Napi::Boolean::New(info.Env(), w->wait(t ? *t : -1));
}

// [sync] _c10d_work_is_completed(work) -> bool (never blocks).
TN_FN_NOROLL(_c10d_work_is_completed) {
  auto w = work_arg(info, 0, "work");
  return Napi::Boolean::New(info.Env(), w->work->isCompleted());
}

// [sync] _c10d_work_source_rank(work) -> the sender of a recv from any source (after wait).
TN_FN_NOROLL(_c10d_work_source_rank) {
  auto w = work_arg(info, 0, "work");
  return Napi::Number::New(info.Env(), w->work->sourceRank());
}

namespace {
class WaitWorker : public Napi::AsyncWorker {
 public:
  WaitWorker(Napi::Env env, std::shared_ptr<WorkBox> w, int64_t timeout)
      : Napi::AsyncWorker(env), w_(std::move(w)), timeout_(timeout), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() { return deferred_.Promise(); }
  void Execute() override {
    WarningCapture cap;
    try {
      ok_ = w_->wait(timeout_);
    } catch (...) {
      error_ = capture_error(std::current_exception());
      SetError(error_.message);
    }
    warnings_ = cap.take();
  }
  void OnOK() override {
    emit_warnings(Env(), warnings_);
    deferred_.Resolve(Napi::Boolean::New(Env(), ok_));
  }
  void OnError(const Napi::Error&) override {
    napi_env env = Env();
    emit_warnings(env, warnings_);
    deferred_.Reject(Napi::Value(env, error_value(env, error_)));
  }

 private:
  std::shared_ptr<WorkBox> w_;
  CapturedError error_;
  std::vector<PendingWarning> warnings_;
  int64_t timeout_;
  bool ok_ = false;
  Napi::Promise::Deferred deferred_;
};
}  // namespace

// [async] _c10d_work_wait_async(work, timeout_ms|null) -> Promise<bool>: waits on the libuv pool;
// rejects with a TorchError when the collective failed.
TN_FN_NOROLL(_c10d_work_wait_async) {
  auto w = work_arg(info, 0, "work");
  auto t = opt_int_arg(info, 1, "timeout");
  auto* worker = new WaitWorker(info.Env(), w, t ? *t : -1);
  Napi::Promise p = worker->promise();
  worker->Queue();
  return p;
}

}  // namespace dist
}  // namespace tn
