// libFuzzer target: multistream-select messages, Listener and Dialer (src/p2p/mss/fuzz_entry).
#include <cstddef>
#include <cstdint>

#include "mss/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz_mss(data, size);
}
