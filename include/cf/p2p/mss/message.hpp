// multistream-select 1.0.0 messages (libp2p/specs connections/README.md "Protocol
// Negotiation"; multiformats/go-multistream v0.6.1 multistream.go lpReadBuf/delimWrite).
// A message is uvarint(len) + token + '\n', len counting the '\n'. Like go: len must be at
// most 1024 and the last byte must be '\n'; the length varint must be minimal (go-varint).
// Tokens are not checked for UTF-8. Decoding takes bytes from the front of a buffer and never
// reads past the message, so what follows is left for the next protocol.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::p2p::mss {

inline constexpr std::string_view protocol_id = "/multistream/1.0.0";
inline constexpr std::string_view na = "na";
// Answered with "na": go-multistream dropped the command (commit ec4e518).
inline constexpr std::string_view ls = "ls";
// Largest value of the length prefix (the token plus its '\n').
inline constexpr std::size_t max_message_size = 1024;

// Appends uvarint(token.size() + 1) + token + '\n'.
void append_message(Bytes& out, std::string_view token);
Bytes encode_message(std::string_view token);

struct Message {
  std::string token;     // without the '\n'
  std::size_t size = 0;  // bytes the message took from the input, prefix included
};

// The message at the front of `in`, or nullopt when `in` holds only part of one. Errors:
// errc::too_large, errc::missing_newline, errc::invalid_length.
Result<std::optional<Message>> decode_message(ByteView in);

// The read loop both roles share: appends `in` to `buffer`, hands every complete message's token
// to `on_token` until it returns true (negotiation done) or an error, and removes what was
// consumed. When done, returns the bytes after the final message (a lazy peer's application
// data) and empties `buffer`; otherwise nullopt, keeping a partial message buffered.
Result<std::optional<Bytes>> consume_messages(Bytes& buffer, ByteView in,
                                              const std::function<Result<bool>(std::string token)>& on_token);

// What a negotiation produced.
struct Selected {
  std::string protocol;
  Bytes leftover;  // bytes received after the final message, untouched: the protocol's data
};

// The result of feeding bytes to a Dialer or Listener.
struct Step {
  Bytes to_send;                    // write these to the peer now (may be empty)
  std::optional<Selected> selected; // set once negotiation has succeeded
};

}  // namespace cf::p2p::mss
