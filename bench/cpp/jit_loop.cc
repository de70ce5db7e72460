// The C++ floor for bench/jit.js: torch::jit::load and forward in a loop on the same libtorch.
// Usage: jit_loop MODEL.pt threads iters batch d1 [d2 ...] (input shape batch×d1×...; float32).
// Prints JSON: {"ms": best milliseconds per forward over 5 rounds of `iters` calls}.
#include <ATen/Parallel.h>
#include <torch/csrc/jit/serialization/import.h>
#include <torch/csrc/api/include/torch/utils.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 5) return 2;
  at::set_num_threads(std::atoi(argv[2]));
  long iters = std::atol(argv[3]);
  std::vector<int64_t> shape;
  for (int i = 4; i < argc; i++) shape.push_back(std::atol(argv[i]));
  torch::NoGradGuard guard;
  torch::jit::Module m = torch::jit::load(argv[1]);
  m.eval();
  at::Tensor x = at::rand(shape);
  std::vector<c10::IValue> in{x};
  for (int i = 0; i < 3; i++) m.forward(in);
  double best = 1e30;
  for (int r = 0; r < 5; r++) {
    auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < iters; i++) m.forward(in);
    auto t1 = std::chrono::steady_clock::now();
    double ms = std::chrono::duration<double, std::milli>(t1 - t0).count() / iters;
    if (ms < best) best = ms;
  }
  std::printf("{\"ms\": %.4f}\n", best);
  return 0;
}
