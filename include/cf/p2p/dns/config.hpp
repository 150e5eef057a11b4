// Settings of the DNS client and the /dnsaddr resolver, and the nameservers of
// /etc/resolv.conf (resolv.conf(5), as glibc reads them).
//
// parse_resolv_conf keeps the `nameserver` lines, IPv4 and IPv6 (a zone like "%eth0" is
// accepted), at most max_resolv_conf_nameservers (glibc MAXNS), in file order; other lines
// (search, domain, options, sortlist) are ignored: every name we look up is absolute, and the
// timeouts are ours. No nameserver at all means 127.0.0.1:53, like glibc.
// Deliberate divergence: go's resolver falls back to 127.0.0.1 and ::1; we use 127.0.0.1 only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <asio/ip/address.hpp>

namespace cf::p2p::dns {

inline constexpr std::size_t max_resolv_conf_nameservers = 3;
inline constexpr const char* resolv_conf_path = "/etc/resolv.conf";

struct Nameserver {
  asio::ip::address address;
  std::uint16_t port = 53;

  // "127.0.0.1:53", "[::1]:53".
  std::string to_string() const;
  friend bool operator==(const Nameserver&, const Nameserver&) = default;
};

struct Config {
  // Asked in order, each over UDP first (TCP when a reply is truncated); empty means
  // 127.0.0.1:53. Tests inject a fake server on an ephemeral port here.
  std::vector<Nameserver> nameservers;
  // One exchange (UDP send and reply, or TCP connect, query and reply) with one server.
  std::chrono::milliseconds try_timeout{2000};
  // Rounds over the nameserver list (glibc's "attempts", default 2).
  int attempts = 2;
  // The whole resolve_dnsaddr call, every lookup included; a lookup_txt call alone is bounded
  // by attempts * servers * 2 * try_timeout (a UDP try and a TCP try per server).
  std::chrono::milliseconds total_timeout{15000};
  // /dnsaddr nesting and result bounds (go-libp2p swarm maximumDNSADDRRecursion,
  // maximumResolvedAddresses), and a bound of ours on the TXT lookups of one resolve.
  std::size_t max_depth = 4;
  std::size_t max_addresses = 100;
  std::size_t max_lookups = 32;
  // Source of query IDs; empty means libsodium's randombytes. Tests inject a fixed sequence.
  std::function<std::uint16_t()> random_id;
};

// 127.0.0.1:53, used when no nameserver is known (glibc's default).
Nameserver default_nameserver();

// The nameservers in resolv.conf text (see the file comment); never fails: unusable lines are
// skipped.
std::vector<Nameserver> parse_resolv_conf(std::string_view text);

// The nameservers of `path` (default /etc/resolv.conf); 127.0.0.1:53 when the file is missing
// or names none.
std::vector<Nameserver> system_nameservers(const std::string& path = resolv_conf_path);

// A Config with the system nameservers and the default bounds.
Config system_config();

}  // namespace cf::p2p::dns
