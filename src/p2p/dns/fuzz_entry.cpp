// libFuzzer-ready entry point for the DNS reply decoder (see fuzz_entry.hpp).
#include "dns/fuzz_entry.hpp"

#include <cstdlib>
#include <string_view>

#include "cf/p2p/dns/config.hpp"
#include "cf/p2p/dns/dnsaddr.hpp"
#include "cf/p2p/dns/message.hpp"

int fuzz_dns_reply(const std::uint8_t* data, std::size_t size) {
  namespace dns = cf::p2p::dns;
  namespace mf = cf::multiformats;
  static const auto address =
      mf::Multiaddr::parse("/dnsaddr/example.com/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
  const cf::ByteView input(data, size);
  const std::uint16_t id = size >= 2 ? static_cast<std::uint16_t>(data[0] << 8 | data[1]) : 0;
  const dns::Question question{"_dnsaddr.example.com", dns::rr_type::txt};

  if (auto reply = dns::decode_reply(input, question, id)) {
    std::size_t text_bytes = 0;
    for (const auto& text : reply->txt) text_bytes += text.size();
    if (text_bytes > size) std::abort();  // TXT text comes out of the packet, never more
    if ((reply->truncated || reply->rcode != 0) && !reply->txt.empty()) std::abort();
    if (address) {
      auto records = dns::select_dnsaddr_records(reply->txt, *address);
      if (records.kept.size() + records.unparsable + records.other_suffix != records.values) std::abort();
    }
  }
  (void)dns::parse_resolv_conf(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
