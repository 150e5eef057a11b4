// multistream-select responder (go-multistream multistream.go Negotiate): our header goes out
// at once (start), the peer's first message must be the header, then every proposal is
// answered: "na" to an unsupported one and to "ls", the echo to a supported one, which ends
// the negotiation. The lazy initiator (go lazyClient.go) sends header + proposal + its first
// application bytes in one write: those bytes come back untouched in Selected::leftover.
// Like go, there is no limit on the number of rejected proposals: each costs the peer at least
// 2 bytes and us a 4-byte "na", and the driver's timeout bounds the whole negotiation.
// A plain value owned by one stream's driver; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/p2p/mss/message.hpp"

namespace cf::p2p::mss {

class Listener {
 public:
  enum class State : std::uint8_t { awaiting_header, awaiting_proposal, done, failed };

  // The protocols we handle, matched byte for byte.
  explicit Listener(std::vector<std::string> supported) : supported_(std::move(supported)) {}

  // Our header, to send as soon as the stream exists.
  Bytes start() const;

  // Bytes read from the initiator. Returns the answers to send ("na"s, then the echo) and
  // `selected` once a supported protocol was proposed. Any error ends the negotiation; later
  // calls return errc::finished.
  Result<Step> on_bytes(ByteView in);

  State state() const { return state_; }

 private:
  Status on_header(const std::string& token);
  void on_proposal(std::string token, Step& step);
  bool supports(const std::string& token) const;

  std::vector<std::string> supported_;
  Bytes buffer_;
  State state_ = State::awaiting_header;
};

}  // namespace cf::p2p::mss
