// Noise transport messages over length-prefixed frames (see secure_channel.hpp).
#include "cf/p2p/noise/secure_channel.hpp"

#include <algorithm>

#include "cf/p2p/noise/errc.hpp"

namespace cf::p2p::noise {
namespace {

Error failed_error() {
  return Error(errc::channel_failed, "the noise channel failed earlier; close the connection");
}

}  // namespace

SecureChannel::SecureChannel(TransportCiphers ciphers, std::size_t max_buffered)
    : ciphers_(std::move(ciphers)),
      reader_(std::max(max_buffered, 2 * (length_prefix_size + max_message_size))) {}

Error SecureChannel::fail(Error e) {
  failed_ = true;
  return e;
}

Status SecureChannel::encrypt(ByteView plaintext, Bytes& out) {
  if (failed_) return failed_error();
  const std::size_t frames = (plaintext.size() + max_plaintext_size - 1) / max_plaintext_size;
  out.reserve(out.size() + plaintext.size() + frames * (length_prefix_size + tag_size));
  for (std::size_t pos = 0; pos < plaintext.size(); pos += max_plaintext_size) {
    const ByteView chunk = plaintext.subspan(pos, std::min(max_plaintext_size, plaintext.size() - pos));
    const std::size_t len = chunk.size() + tag_size;
    out.push_back(static_cast<std::uint8_t>(len >> 8));
    out.push_back(static_cast<std::uint8_t>(len & 0xff));
    if (auto r = ciphers_.send.encrypt_with_ad({}, chunk, out); !r) return fail(r.error());
  }
  return ok();
}

Result<Bytes> SecureChannel::encrypt(ByteView plaintext) {
  Bytes out;
  CF_TRY(encrypt(plaintext, out));
  return out;
}

Result<Bytes> SecureChannel::feed(ByteView wire) {
  if (failed_) return failed_error();
  Bytes plaintext;
  // Append in slices the reader can hold; draining after each slice leaves under one frame.
  while (true) {
    const std::size_t room = reader_.max_buffered() - reader_.buffered();
    const ByteView slice = wire.first(std::min(room, wire.size()));
    wire = wire.subspan(slice.size());
    if (auto r = reader_.append(slice); !r) return fail(r.error());
    while (auto frame = reader_.next()) {
      if (auto r = ciphers_.recv.decrypt_with_ad({}, *frame, plaintext); !r) {
        return fail(r.error());
      }
    }
    if (wire.empty()) return plaintext;
  }
}

}  // namespace cf::p2p::noise
