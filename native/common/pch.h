// Precompiled header for every native translation unit: the heavy libtorch headers and the
// N-API wrappers. Keep it to headers that nearly every unit needs.
#pragma once
#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <torch/version.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <napi.h>
#include <string>
#include <vector>
#include <unordered_map>
