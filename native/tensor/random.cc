// Placeholder until torch.Generator lands: only the default generator is available.
#include "random.h"

namespace tn {
opt<at::Generator> opt_generator_arg(const Info& info, size_t i, const char* name) {
  if (is_nullish(info, i)) return c10::nullopt;
  throw_type(std::string("argument '") + name + "': torch.Generator objects are not supported yet");
}
}  // namespace tn
