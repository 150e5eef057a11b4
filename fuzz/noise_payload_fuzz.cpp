// libFuzzer target: Noise handshake payloads, responder messages, framing and SecureChannel
// (src/p2p/noise/fuzz_entry).
#include <cstddef>
#include <cstdint>

#include "noise/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return cf::p2p::noise::fuzz_noise_payload(data, size);
}
