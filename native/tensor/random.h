// Generators for the random ops: JS torch.Generator objects (lib/random.ts) cross as integer ids
// (or as objects carrying `_id`); id 0 is the default CPU generator.
#pragma once
#include "../common/core.h"

namespace tn {
// The generator passed at position i: null/undefined → nullopt (the default generator), a number →
// the generator with that id. Throws TypeError for anything else, TorchError for a freed generator.
opt<at::Generator> opt_generator_arg(const Info& info, size_t i, const char* name);
// Same, for a required Generator argument (TypeError when null/undefined).
at::Generator generator_arg(const Info& info, size_t i, const char* name);
// The generator an op given no generator must draw from: nullopt (libtorch's default) on the main
// thread and for calls that name a CUDA tensor or device, this worker thread's own CPU generator
// otherwise.
opt<at::Generator> default_generator_for(const Info& info);
}  // namespace tn
