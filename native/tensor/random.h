// Generators for the random ops: JS torch.Generator objects cross as integer ids.
#pragma once
#include "../common/core.h"

namespace tn {
// The generator passed at position i: null/undefined → nullopt (the default generator), a number →
// the generator with that id. Throws TypeError for anything else.
opt<at::Generator> opt_generator_arg(const Info& info, size_t i, const char* name);
}  // namespace tn
