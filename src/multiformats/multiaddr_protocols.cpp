// Multiaddr protocol table and value transcoders (go-multiaddr protocols.go and
// transcoders.go; multicodec table.csv). IPv6 text follows RFC 5952 like Go's net.IP, and an
// IPv4-mapped address prints as "::ffff:a.b.c.d" as go-multiaddr does.
#include "multiaddr_protocols.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "cf/multiformats/errc.hpp"
#include "cf/multiformats/multibase.hpp"
#include "cf/multiformats/multihash.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::multiformats::multiaddr_detail {
namespace {

constexpr std::array<Protocol, 25> protocols{{
    {"ip4", 4, 32, ValueKind::ip4},
    {"tcp", 6, 16, ValueKind::port},
    {"ip6", 41, 128, ValueKind::ip6},
    {"ip6zone", 42, -1, ValueKind::zone},
    {"dns", 53, -1, ValueKind::host},
    {"dns4", 54, -1, ValueKind::host},
    {"dns6", 55, -1, ValueKind::host},
    {"dnsaddr", 56, -1, ValueKind::host},
    {"udp", 273, 16, ValueKind::port},
    {"webrtc-direct", 280, 0, ValueKind::none},
    {"webrtc", 281, 0, ValueKind::none},
    {"p2p-circuit", 290, 0, ValueKind::none},
    {"unix", 400, -1, ValueKind::path},
    {"p2p", 421, -1, ValueKind::p2p},
    {"https", 443, 0, ValueKind::none},
    {"tls", 448, 0, ValueKind::none},
    {"sni", 449, -1, ValueKind::host},
    {"noise", 454, 0, ValueKind::none},
    {"quic", 460, 0, ValueKind::none},
    {"quic-v1", 461, 0, ValueKind::none},
    {"webtransport", 465, 0, ValueKind::none},
    {"certhash", 466, -1, ValueKind::certhash},
    {"ws", 477, 0, ValueKind::none},
    {"wss", 478, 0, ValueKind::none},
    {"http", 480, 0, ValueKind::none},
}};

Error bad(std::string detail) { return Error(errc::invalid_multiaddr, std::move(detail)); }

Result<Bytes> port_from_text(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return c >= '0' && c <= '9';
      })) {
    return bad("not a decimal port number");
  }
  std::uint32_t port = 0;
  for (char c : text) {
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
    if (port > 65535) return bad("port out of range 0-65535");
  }
  return Bytes{static_cast<std::uint8_t>(port >> 8), static_cast<std::uint8_t>(port & 0xff)};
}

Result<Bytes> ip_from_text(std::string_view text, int family) {
  const std::string s(text);
  Bytes out(family == AF_INET ? 4 : 16);
  if (inet_pton(family, s.c_str(), out.data()) != 1) {
    return bad(family == AF_INET ? "not an IPv4 address" : "not an IPv6 address");
  }
  return out;
}

std::string ip4_to_text(ByteView v) {
  return fmt::format("{}.{}.{}.{}", v[0], v[1], v[2], v[3]);
}

// RFC 5952: lower-case hex without leading zeros, the longest run of two or more zero groups
// (the first one on a tie) written as "::".
std::string ip6_to_text(ByteView v) {
  constexpr std::array<std::uint8_t, 12> mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(mapped.begin(), mapped.end(), v.begin())) {
    return "::ffff:" + ip4_to_text(v.subspan(12));
  }
  std::array<unsigned, 8> groups{};
  for (int i = 0; i < 8; ++i) groups[i] = unsigned{v[2 * i]} << 8 | v[2 * i + 1];
  int best_start = -1;
  int best_len = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best_start = -1;
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out.push_back(':');
    out += fmt::format("{:x}", groups[i]);
  }
  return out;
}

Status check_multihash(ByteView value) {
  auto mh = Multihash::from_bytes(value);
  if (!mh) return bad("invalid multihash: " + mh.error().message());
  return ok();
}

}  // namespace

const Protocol* protocol_by_name(std::string_view name) {
  if (name == "ipfs") name = "p2p";  // the old name, still accepted in text
  for (const auto& p : protocols) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const Protocol* protocol_by_code(std::uint64_t code) {
  for (const auto& p : protocols) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

Result<Bytes> value_from_text(const Protocol& p, std::string_view text) {
  switch (p.kind) {
    case ValueKind::none: return Bytes{};
    case ValueKind::ip4: return ip_from_text(text, AF_INET);
    case ValueKind::ip6: return ip_from_text(text, AF_INET6);
    case ValueKind::port: return port_from_text(text);
    case ValueKind::host:
    case ValueKind::zone:
    case ValueKind::path: {
      Bytes out(text.begin(), text.end());
      CF_TRY(validate_value(p, out));
      return out;
    }
    case ValueKind::p2p: {
      auto id = PeerId::parse(text);
      if (!id) return bad(id.error().message());
      return id->bytes();
    }
    case ValueKind::certhash: {
      auto bytes = multibase::decode(text);
      if (!bytes) return bad("certhash: " + bytes.error().message());
      CF_TRY(check_multihash(*bytes));
      return std::move(*bytes);
    }
  }
  return bad("unsupported value");
}

Status validate_value(const Protocol& p, ByteView value) {
  switch (p.kind) {
    case ValueKind::host:
      if (value.empty()) return bad("empty host name");
      if (std::find(value.begin(), value.end(), '/') != value.end()) {
        return bad("host name contains '/'");
      }
      return ok();
    case ValueKind::zone:
      if (value.empty()) return bad("empty IPv6 zone");
      if (std::find(value.begin(), value.end(), '/') != value.end()) {
        return bad("IPv6 zone contains '/'");
      }
      return ok();
    case ValueKind::path:
      if (value.size() < 2 || value.front() != '/') return bad("path must start with '/'");
      if (value.back() == '/') return bad("unix socket path must not end in '/'");
      return ok();
    case ValueKind::p2p: {
      auto id = PeerId::from_bytes(value);
      if (!id) return bad(id.error().message());
      return ok();
    }
    case ValueKind::certhash: return check_multihash(value);
    case ValueKind::none:
    case ValueKind::ip4:
    case ValueKind::ip6:
    case ValueKind::port: return ok();
  }
  return ok();
}

std::string value_to_text(const Protocol& p, ByteView value) {
  switch (p.kind) {
    case ValueKind::none: return {};
    case ValueKind::ip4: return ip4_to_text(value);
    case ValueKind::ip6: return ip6_to_text(value);
    case ValueKind::port: return std::to_string(unsigned{value[0]} << 8 | value[1]);
    case ValueKind::host:
    case ValueKind::zone:
    case ValueKind::path: return to_string(value);
    case ValueKind::p2p: return multibase::encode_raw(multibase::Base::base58btc, value);
    case ValueKind::certhash: return multibase::encode(multibase::Base::base64_url, value);
  }
  return {};
}

}  // namespace cf::multiformats::multiaddr_detail
