// Identify framing on a stream (go-libp2p v0.48 id.go readAllIDMessages and
// writeChunkedIdentifyMsg; go-msgio pbio uvarint_reader.go: length <= maxSize).
#include "cf/p2p/identify/stream.hpp"

#include "cf/multiformats/errc.hpp"
#include "cf/multiformats/varint.hpp"
#include "cf/p2p/identify/errc.hpp"

namespace cf::p2p::identify {
namespace {

namespace mf = cf::multiformats;

void append_frame(Bytes& out, const Bytes& body) {
  mf::append_uvarint(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

}  // namespace

Bytes encode_identify_frames(const IdentifyInfo& info) {
  Bytes out;
  Bytes whole = encode_identify(info);
  if (!info.signed_peer_record || whole.size() <= legacy_message_size) {
    append_frame(out, whole);
    return out;
  }
  IdentifyInfo base = info;
  base.signed_peer_record.reset();
  append_frame(out, encode_identify(base));
  IdentifyInfo record;
  record.signed_peer_record = info.signed_peer_record;
  append_frame(out, encode_identify(record));
  return out;
}

Status MessageReader::on_bytes(ByteView in) {
  pending_.insert(pending_.end(), in.begin(), in.end());
  std::size_t used = 0;
  for (;;) {
    const ByteView rest = ByteView(pending_).subspan(used);
    auto length = mf::decode_uvarint(rest);
    if (!length) {
      if (length.error() != mf::errc::truncated) {
        return Error(errc::invalid_length, length.error().message());
      }
      // Two continuation bytes mean a length of at least 2^14, over the 8 KiB limit.
      if (rest.size() >= 2) return Error(errc::message_too_large);
      break;
    }
    if (length->value > max_message_size) {
      return Error(errc::message_too_large,
                   "identify message of " + std::to_string(length->value) + " bytes");
    }
    const std::size_t body = static_cast<std::size_t>(length->value);
    if (rest.size() < length->size + body) break;
    const ByteView frame = rest.subspan(length->size, body);
    auto decoded = decode_identify(frame);  // each frame must parse on its own, as in go
    if (!decoded) return decoded.error();
    if (++messages_ >= max_messages) {
      return Error(errc::too_many_messages, "identify sent " + std::to_string(messages_) +
                                                " messages without closing the stream");
    }
    merged_.insert(merged_.end(), frame.begin(), frame.end());
    used += length->size + body;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
  return ok();
}

Result<DecodedIdentify> MessageReader::on_eof() const {
  if (!pending_.empty()) {
    return Error(errc::truncated, "identify stream ended with " +
                                      std::to_string(pending_.size()) + " bytes of a message");
  }
  return decode_identify(merged_, remote_);
}

}  // namespace cf::p2p::identify
