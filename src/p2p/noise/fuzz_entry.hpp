// A libFuzzer-ready entry point for the noise sublayer (not built as a fuzzer yet). A fuzzer
// target only needs: extern "C" int LLVMFuzzerTestOneInput(const uint8_t* d, size_t n) {
// return cf::p2p::noise::fuzz_noise_payload(d, n); }
#pragma once

#include <cstddef>
#include <cstdint>

namespace cf::p2p::noise {

// Feeds arbitrary bytes to the payload parser and checker, to a responder's on_frame (as msg1
// and, after a genuine msg1, as msg3), to a FrameReader and to a SecureChannel. Never crashes
// or throws on any input; always returns 0.
int fuzz_noise_payload(const std::uint8_t* data, std::size_t size);

}  // namespace cf::p2p::noise
