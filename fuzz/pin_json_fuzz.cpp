// libFuzzer target: one cluster pin's REST API JSON (pin_from_json), as a trusted peer's
// /allocations stream delivers it. A pin that parses must print (to_json) as JSON that parses
// back to the same pin, since the store and the CLI's --json output rely on that.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cf/cluster/pin.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace cl = cf::cluster;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto pin = cl::pin_from_json(text);
  if (!pin) return 0;
  auto again = cl::pin_from_json(cl::to_json(*pin));
  if (!again || *again != *pin) std::abort();
  return 0;
}
