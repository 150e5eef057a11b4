// A libFuzzer-ready entry point for the Yamux session (not built as a fuzzer yet): a fuzzer
// binary only needs `extern "C" int LLVMFuzzerTestOneInput(const uint8_t* d, size_t n)
// { return cf::p2p::yamux::fuzz_yamux_frames(d, n); }`.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cf::p2p::yamux {

// Feeds data[2..] to a client and a server Session in chunks of data[0] + 1 bytes, driving the
// API between chunks as data[1] selects (read, answer, half-close, reset, open and ping, go
// away; see the Mode bits in fuzz_entry.cpp) and ticking one second per chunk.
// Aborts if an invariant breaks: our own output must decode as valid frames, and no stream
// may hold more bytes than the window it granted. Returns 0 (libFuzzer's convention).
int fuzz_yamux_frames(const std::uint8_t* data, std::size_t size);

}  // namespace cf::p2p::yamux
