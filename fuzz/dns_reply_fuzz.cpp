// libFuzzer target: DNS replies to a TXT query, and the dnsaddr record selection
// (src/p2p/dns/fuzz_entry).
#include <cstddef>
#include <cstdint>

#include "dns/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz_dns_reply(data, size);
}
