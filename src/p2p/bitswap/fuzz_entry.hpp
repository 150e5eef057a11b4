// libFuzzer-ready entry point for bitswap (fuzz/bitswap_message_fuzz.cpp wraps it;
// tests/p2p/bitswap/fuzz_entry_test.cpp drives it with pseudo-random inputs).
#pragma once

#include <cstddef>
#include <cstdint>

// Decodes `data` as one bitswap message, under the default limits and under tight ones. What
// decodes must re-encode to bytes that decode equal, with encoded_size() matching, and split
// into parts within their size bound. The message is then fed to a Client (as a reply from
// two peers, after wanting the CIDs it names) and to a Server (as a want list, against a small
// synthetic store), with their invariants checked: windows respected, delivered blocks verify,
// every output message decodes and keeps its size bound. A broken invariant aborts. Never
// fails otherwise; returns 0 as libFuzzer expects.
int fuzz_bitswap_message(const std::uint8_t* data, std::size_t size);
