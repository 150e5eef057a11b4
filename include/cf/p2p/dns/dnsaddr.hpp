// /dnsaddr/ resolution (multiformats/multiaddr protocols/DNSADDR.md), as go-libp2p does it:
// go-multiaddr-dns resolve.go Resolver.Resolve for one level, and the recursion and bounds of
// go-libp2p p2p/net/swarm (ResolverFromMaDNS.ResolveDNSAddr, maximumDNSADDRRecursion = 4,
// maximumResolvedAddresses = 100).
//
// One level: a TXT lookup of "_dnsaddr.<host>"; of its strings, those starting with
// "dnsaddr=" hold a multiaddr. Values that do not parse are skipped. When the address has
// components after /dnsaddr/<host> (typically /p2p/<id>), only values ending with the same
// components are kept, and a value that is nothing but those components is dropped (go).
// Kept values that start with /dnsaddr are resolved in turn, up to config.max_depth levels;
// the others (/ip4, /ip6, /dns4, /dns6, /dns ... /tcp/N/p2p/id) are results, which the TCP
// dial code handles. Failed nested lookups are skipped (go logs and drops them).
//
// Deliberate divergences from go:
// - /dnsaddr values still unresolved at the depth bound are dropped (go returns them, and its
//   dialer then cannot use them);
// - at most config.max_lookups TXT lookups per call, and the whole call within
//   config.total_timeout (go's nested output limits still allow thousands of lookups);
// - duplicate results are dropped;
// - nesting is walked breadth-first with a bounded queue (no recursion), so deeper results
//   may come in another order than go's.
// Only an address that starts with /dnsaddr is resolved; any other is returned unchanged.
//
// Why a sublayer of its own (cf::p2p::dns) rather than part of transport: /dnsaddr needs TXT
// records, which getaddrinfo (asio's resolver, used by transport for /dns4, /dns6, /dns)
// cannot ask for, so this sublayer carries a small DNS client of its own (message.hpp,
// client.hpp, config.hpp). transport stays as it is; the host resolves /dnsaddr addresses
// here first and dials the results through transport.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/p2p/dns/config.hpp"
#include "cf/p2p/dns/errc.hpp"

namespace cf::p2p::dns {

inline constexpr const char* dnsaddr_txt_prefix = "dnsaddr=";
inline constexpr const char* dnsaddr_name_prefix = "_dnsaddr.";

// True when the first component is /dnsaddr.
bool is_dnsaddr(const multiformats::Multiaddr& address);

// The values of one TXT lookup for `address` that go keeps (see the file comment), and what
// was left out, for error messages.
struct DnsaddrRecords {
  std::vector<multiformats::Multiaddr> kept;
  std::size_t values = 0;        // strings starting with "dnsaddr="
  std::size_t unparsable = 0;    // of those, not a multiaddr
  std::size_t other_suffix = 0;  // of those, not ending with the address's trailing components
};
DnsaddrRecords select_dnsaddr_records(const std::vector<std::string>& txt,
                                      const multiformats::Multiaddr& address);

// The addresses `address` stands for (itself, if it is not a /dnsaddr address). Errors name
// the address and what failed: errc::name_not_found (NXDOMAIN), errc::no_answer (no server
// answered), errc::server_failure, errc::no_records (no usable dnsaddr= value, nested lookups
// included), errc::peer_id_mismatch (values exist, but none for this /p2p id),
// cf::errc::timed_out (config.total_timeout). Cancelling the awaiting coroutine cancels the
// pending lookup.
Task<Result<std::vector<multiformats::Multiaddr>>> resolve_dnsaddr(multiformats::Multiaddr address,
                                                                   Config config);

}  // namespace cf::p2p::dns
