// multistream-select message codec (go-multistream v0.6.1 multistream.go lpReadBuf).
#include "cf/p2p/mss/message.hpp"

#include "cf/multiformats/errc.hpp"
#include "cf/multiformats/varint.hpp"
#include "cf/p2p/mss/errc.hpp"

namespace cf::p2p::mss {

namespace mf = cf::multiformats;

void append_message(Bytes& out, std::string_view token) {
  mf::append_uvarint(out, token.size() + 1);
  out.insert(out.end(), token.begin(), token.end());
  out.push_back('\n');
}

Bytes encode_message(std::string_view token) {
  Bytes out;
  append_message(out, token);
  return out;
}

Result<std::optional<Message>> decode_message(ByteView in) {
  auto length = mf::decode_uvarint(in);
  if (!length) {
    if (length.error() != mf::errc::truncated) {
      return Error(errc::invalid_length, "multistream length prefix: " + length.error().message());
    }
    // Two bytes that both carry the continuation bit can only lead to a value of at least
    // 2^14 (or to a non-minimal encoding): fail now instead of waiting for more.
    if (in.size() >= 2) return Error(errc::too_large, "multistream length prefix over 1024");
    return std::optional<Message>{};
  }
  if (length->value > max_message_size) {
    return Error(errc::too_large,
                 "multistream message of " + std::to_string(length->value) + " bytes");
  }
  const std::size_t total = length->size + static_cast<std::size_t>(length->value);
  if (in.size() < total) return std::optional<Message>{};
  const ByteView body = in.subspan(length->size, static_cast<std::size_t>(length->value));
  if (body.empty() || body.back() != '\n') {
    return Error(errc::missing_newline, "multistream message did not have trailing newline");
  }
  return std::optional<Message>{Message{to_string(body.first(body.size() - 1)), total}};
}

Result<std::optional<Bytes>> consume_messages(Bytes& buffer, ByteView in,
                                              const std::function<Result<bool>(std::string token)>& on_token) {
  buffer.insert(buffer.end(), in.begin(), in.end());
  std::size_t used = 0;
  for (;;) {
    CF_TRY_ASSIGN(message, decode_message(ByteView(buffer).subspan(used)));
    if (!message) break;
    used += message->size;
    CF_TRY_ASSIGN(done, on_token(std::move(message->token)));
    if (done) {
      Bytes leftover(buffer.begin() + static_cast<std::ptrdiff_t>(used), buffer.end());
      buffer.clear();
      return std::optional<Bytes>(std::move(leftover));
    }
  }
  buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(used));
  return std::optional<Bytes>();
}

}  // namespace cf::p2p::mss
