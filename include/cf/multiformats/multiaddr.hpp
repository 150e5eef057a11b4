// Multiaddr (multiformats/multiaddr; protocol codes and text rules from go-multiaddr
// protocols.go, codec.go, transcoders.go). Binary: uvarint(code) + value, the value being
// fixed-size, uvarint-length-prefixed, or absent. Text: "/name/value/…"; "/ipfs/" reads as
// "/p2p/" and always prints as "/p2p/"; "/unix/" takes the rest of the text as its path.
// Supported: ip4 ip6 ip6zone dns dns4 dns6 dnsaddr tcp udp p2p p2p-circuit unix tls sni noise
// quic quic-v1 webtransport certhash ws wss webrtc-direct webrtc http https. Anything else is
// rejected with errc::unknown_protocol (its size is unknown, so it cannot be skipped).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::multiformats {

namespace multiaddr_detail {
struct Protocol;
}  // namespace multiaddr_detail

// Protocol codes used by callers when branching on components.
namespace protocol_code {
inline constexpr std::uint64_t ip4 = 4;
inline constexpr std::uint64_t tcp = 6;
inline constexpr std::uint64_t ip6 = 41;
inline constexpr std::uint64_t ip6zone = 42;
inline constexpr std::uint64_t dns = 53;
inline constexpr std::uint64_t dns4 = 54;
inline constexpr std::uint64_t dns6 = 55;
inline constexpr std::uint64_t dnsaddr = 56;
inline constexpr std::uint64_t udp = 273;
inline constexpr std::uint64_t p2p_circuit = 290;
inline constexpr std::uint64_t unix_socket = 400;  // "unix"
inline constexpr std::uint64_t p2p = 421;
inline constexpr std::uint64_t quic = 460;
inline constexpr std::uint64_t quic_v1 = 461;
inline constexpr std::uint64_t ws = 477;
inline constexpr std::uint64_t wss = 478;
}  // namespace protocol_code

// One "/name/value" part. `value` is the text form ("" for protocols without a value; the
// path with its leading '/' for unix); `raw` is the binary value.
struct MultiaddrComponent {
  std::uint64_t code = 0;
  std::string name;
  std::string value;
  Bytes raw;
};

// A regular value type holding the binary form. Built by parse/from_bytes, which validate
// every component; only without_peer_id() can produce an empty one.
class Multiaddr {
 public:
  // Errors name the whole input and the offending component, e.g.
  // multiaddr "/ip4/1.2.3.4/tcpx/1": unknown protocol "tcpx".
  static Result<Multiaddr> parse(std::string_view text);
  static Result<Multiaddr> from_bytes(ByteView bytes);

  const Bytes& bytes() const { return bytes_; }
  std::string to_string() const;
  bool empty() const { return bytes_.empty(); }

  std::vector<MultiaddrComponent> components() const;

  // The peer ID of a trailing /p2p component, if the address ends with one
  // (go-libp2p peer.SplitAddr).
  std::optional<PeerId> peer_id() const;
  // The address without its trailing /p2p component (unchanged if there is none).
  Multiaddr without_peer_id() const;
  // The address with "/p2p/<id>" appended.
  Multiaddr with_peer_id(const PeerId& id) const;

  friend bool operator==(const Multiaddr& a, const Multiaddr& b) { return a.bytes_ == b.bytes_; }
  friend std::strong_ordering operator<=>(const Multiaddr& a, const Multiaddr& b) {
    return compare_bytes(a.bytes_, b.bytes_);
  }

 private:
  struct Part {
    const multiaddr_detail::Protocol* protocol;
    std::size_t begin;        // offset of the code varint
    std::size_t value_begin;  // offset of the value (after any length prefix)
    std::size_t value_size;
  };

  Multiaddr(Bytes bytes, std::vector<Part> parts)
      : bytes_(std::move(bytes)), parts_(std::move(parts)) {}

  Bytes bytes_;
  std::vector<Part> parts_;
};

}  // namespace cf::multiformats

template <>
struct std::hash<cf::multiformats::Multiaddr> {
  std::size_t operator()(const cf::multiformats::Multiaddr& m) const noexcept {
    return cf::multiformats::hash_bytes(m.bytes());
  }
};
