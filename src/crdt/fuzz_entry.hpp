// libFuzzer-ready entry points for the crdt codecs (fuzz/dagpb_fuzz.cpp, delta_fuzz.cpp,
// broadcast_fuzz.cpp wrap them; tests/crdt/fuzz_entry_test.cpp drives them with pseudo-random
// inputs). Each never fails on any input and returns 0 as libFuzzer expects; a broken
// round trip aborts, so the fuzzer reports it as a crash.
#pragma once

#include <cstddef>
#include <cstdint>

// decode_dagpb, then decode_node under the block's own CID (so the delta decoder sees every
// Data the fuzzer finds); what decodes must encode to bytes that decode to the same value.
int fuzz_dagpb(const std::uint8_t* data, std::size_t size);

// decode_delta; what decodes must encode to bytes that decode to the same delta.
int fuzz_delta(const std::uint8_t* data, std::size_t size);

// decode_broadcast, and the same bytes as key text (parse_element_id, pin_cid_from_key);
// decoded heads and parsed keys must encode back to what decodes or parses the same.
int fuzz_broadcast(const std::uint8_t* data, std::size_t size);
