// libFuzzer-ready entry point for the identify parsers (not built as a fuzzer yet;
// tests/p2p/identify/fuzz_entry_test.cpp drives it with pseudo-random inputs). A fuzzer target
// is  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* d, size_t n) {
//       return fuzz_identify(d, n); }
#pragma once

#include <cstddef>
#include <cstdint>

// Decodes `data` as one Identify message (with and without a remote peer ID to check), then
// feeds it to a MessageReader in pieces chosen by the first byte and ends the stream. Never
// fails on any input; returns 0 as libFuzzer expects.
int fuzz_identify(const std::uint8_t* data, std::size_t size);
