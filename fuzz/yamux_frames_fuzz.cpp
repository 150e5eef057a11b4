// libFuzzer target: a Yamux Session fed hostile frames, with its invariant checks
// (src/p2p/yamux/fuzz_entry).
#include <cstddef>
#include <cstdint>

#include "cf/p2p/yamux/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return cf::p2p::yamux::fuzz_yamux_frames(data, size);
}
