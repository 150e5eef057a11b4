// libFuzzer entry points for the gossipsub sublayer (fuzz/gossipsub_rpc_fuzz.cpp and
// fuzz/gossipsub_signed_fuzz.cpp wrap them; tests/p2p/gossipsub/fuzz_entry_test.cpp drives
// them with pseudo-random inputs). Each returns 0 on every input and aborts when an invariant
// breaks, so that the fuzzer reports it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cf::p2p::gossipsub {

// The input as one RPC: what decodes must encode and decode to the same RPC. Then the input as
// a stream of uvarint-framed RPCs from one peer into a Router (subscribed, with that peer as a
// priority peer), with a heartbeat and a time step between RPCs: every RPC the router emits
// must decode and fit max_rpc_size.
int fuzz_gossipsub_rpc(const std::uint8_t* data, std::size_t size);

// verify_message on every message the input decodes to (as an RPC and as a Message); then a
// genuinely signed message built from the input must verify, and no single-byte change or
// strict prefix of it may.
int fuzz_gossipsub_signed(const std::uint8_t* data, std::size_t size);

}  // namespace cf::p2p::gossipsub
