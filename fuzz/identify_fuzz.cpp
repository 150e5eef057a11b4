// libFuzzer target: Identify messages and the framed MessageReader (src/p2p/identify/fuzz_entry).
#include <cstddef>
#include <cstdint>

#include "identify/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz_identify(data, size);
}
