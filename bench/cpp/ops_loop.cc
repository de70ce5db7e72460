// The C++ floor for bench/run.js: the same ops as the JS and Python loops, called straight from
// C++ on the same libtorch. Prints JSON: {op: ns_per_call}.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

static double time_ns(const std::function<void()>& f, long n) {
  for (long i = 0; i < n / 10; i++) f();
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < n; i++) f();
  auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / n;
}

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 200000;
  at::set_num_threads(1);
  at::Tensor a = at::rand({4}), b = at::rand({4});
  at::Tensor x = at::rand({64, 64}), w = at::rand({64, 64});
  double add = time_ns([&] { at::Tensor c = a.add(b); }, n);
  double relu = time_ns([&] { at::Tensor c = at::relu(a); }, n);
  double mm = time_ns([&] { at::Tensor c = x.matmul(w); }, n / 10);
  std::printf("{\"add\": %.1f, \"relu\": %.1f, \"matmul64\": %.1f}\n", add, relu, mm);
  return 0;
}
