// libFuzzer target: identity.json (Identity::from_json), a file users import from upstream.
// An identity that loads must save (to_json) as text that loads back to the same identity.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cf/identity/identity.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace id = cf::identity;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto identity = id::Identity::from_json(text);
  if (!identity) return 0;
  auto again = id::Identity::from_json(identity->to_json());
  if (!again || again->id() != identity->id() ||
      again->private_key_base64() != identity->private_key_base64()) {
    std::abort();
  }
  return 0;
}
