// PSK parsing: the cluster secret (hex) and Kubo's swarm.key (go-libp2p core/pnet/codec.go).
#include "cf/p2p/pnet/psk.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include <sodium.h>

#include "cf/multiformats/multibase.hpp"
#include "cf/p2p/pnet/errc.hpp"

namespace cf::p2p::pnet {
namespace {

namespace mb = cf::multiformats::multibase;

// Takes the decoded key bytes and wipes them once copied: the key lives in the Psk only.
Result<Psk> psk_from(Result<Bytes> decoded, errc failure, const char* what) {
  if (!decoded) return Error(failure, std::string(what) + " does not hold a 32-byte key");
  const bool right_size = decoded->size() == psk_size;
  Psk psk;
  if (right_size) std::copy(decoded->begin(), decoded->end(), psk.key.begin());
  sodium_memzero(decoded->data(), decoded->size());
  if (!right_size) return Error(failure, std::string(what) + " does not hold a 32-byte key");
  return psk;
}

// Reads one header line from the front of `text`, without its trailing \r and \n characters.
// nullopt when no '\n' ends it.
std::optional<std::string_view> next_line(std::string_view& text) {
  const auto end = text.find('\n');
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end + 1);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  return line;
}

}  // namespace

Psk::~Psk() { sodium_memzero(key.data(), key.size()); }

Result<Psk> parse_psk(std::string_view hex) {
  if (hex.size() != 2 * psk_size) {
    return Error(errc::invalid_psk, "the secret has " + std::to_string(hex.size()) +
                                        " characters, not 64 hex characters");
  }
  return psk_from(mb::decode_raw(mb::Base::base16, hex), errc::invalid_psk, "the secret");
}

Result<Psk> parse_swarm_key(std::string_view text) {
  const auto header = next_line(text);
  if (!header || *header != psk_header) {
    return Error(errc::invalid_swarm_key, "swarm.key does not start with /key/swarm/psk/1.0.0/");
  }
  const auto encoding = next_line(text);
  if (!encoding) return Error(errc::invalid_swarm_key, "swarm.key has no encoding line");
  if (*encoding == "/base16/") {
    if (text.size() < 2 * psk_size) return Error(errc::invalid_swarm_key, "swarm.key is short");
    return psk_from(mb::decode_raw(mb::Base::base16, text.substr(0, 2 * psk_size)),
                    errc::invalid_swarm_key, "swarm.key");
  }
  if (*encoding == "/base64/") {
    std::string compact;  // go's base64 decoder skips line breaks
    for (char c : text) {
      if (c != '\r' && c != '\n') compact.push_back(c);
    }
    constexpr std::size_t padded = 44;  // 32 bytes in padded standard base64
    if (compact.size() < padded) return Error(errc::invalid_swarm_key, "swarm.key is short");
    auto psk = psk_from(mb::decode_raw(mb::Base::base64_pad, std::string_view(compact).substr(0, padded)),
                        errc::invalid_swarm_key, "swarm.key");
    sodium_memzero(compact.data(), compact.size());
    return psk;
  }
  if (*encoding == "/bin/") {
    if (text.size() < psk_size) return Error(errc::invalid_swarm_key, "swarm.key is short");
    Psk psk;
    std::copy_n(text.begin(), psk_size, psk.key.begin());
    return psk;
  }
  return Error(errc::unknown_key_encoding,
               "swarm.key encoding \"" + std::string(encoding->substr(0, 32)) + "\"");
}

}  // namespace cf::p2p::pnet
