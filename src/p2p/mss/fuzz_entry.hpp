// libFuzzer-ready entry point for the multistream-select parsers (not built as a fuzzer yet;
// tests/p2p/mss/fuzz_entry_test.cpp drives it with pseudo-random inputs). A fuzzer target is
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* d, size_t n) { return fuzz_mss(d, n); }
#pragma once

#include <cstddef>
#include <cstdint>

// Feeds `data` to decode_message, a Listener and a Dialer, cut into pieces chosen by the first
// byte. Never fails on any input; returns 0 as libFuzzer expects.
int fuzz_mss(const std::uint8_t* data, std::size_t size);
