// libFuzzer target: gossipsub RPC decoding and a Router fed a peer's RPC stream
// (src/p2p/gossipsub/fuzz_entry).
#include <cstddef>
#include <cstdint>

#include "gossipsub/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return cf::p2p::gossipsub::fuzz_gossipsub_rpc(data, size);
}
