// libFuzzer target: bitswap messages, the Client and the Server (src/p2p/bitswap/fuzz_entry).
#include <cstddef>
#include <cstdint>

#include "bitswap/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz_bitswap_message(data, size);
}
