// StrictSign verification, signing and message IDs (see signature.hpp).
#include "cf/p2p/gossipsub/signature.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "cf/base/protowire.hpp"
#include "cf/identity/keys.hpp"
#include "cf/p2p/gossipsub/errc.hpp"
#include "cf/p2p/noise/errc.hpp"
#include "cf/p2p/noise/identity_key.hpp"

namespace cf::p2p::gossipsub {
namespace {

namespace pw = cf::protowire;
namespace mf = cf::multiformats;

// The parts of a Message's raw bytes that verification needs, located as go's decoder sees
// them: the last value of each known field, and the unknown fields in order.
struct RawParts {
  std::array<std::optional<ByteView>, 7> known;  // index = field number 1..6
  std::vector<ByteView> unknown;                 // whole fields (tag, length, payload)
};

Result<RawParts> split_raw(ByteView raw) {
  RawParts parts;
  pw::Reader reader(raw);
  for (;;) {
    auto field = reader.next();
    if (!field) return Error(errc::malformed_rpc, "gossipsub Message: " + field.error().message());
    if (!*field) return parts;
    const pw::Field& f = **field;
    if (f.number >= 1 && f.number <= 6) {
      if (f.type != pw::WireType::length_delimited) {
        return Error(errc::malformed_rpc,
                     "gossipsub Message: field " + std::to_string(f.number) + " is not bytes");
      }
      parts.known[f.number] = f.bytes;
    } else {
      parts.unknown.push_back(f.raw);
    }
  }
}

Bytes signed_bytes_of(const RawParts& parts) {
  Bytes out(sign_prefix.begin(), sign_prefix.end());
  for (std::uint32_t number = 1; number <= 4; ++number) {
    if (parts.known[number]) pw::append_bytes_field(out, number, *parts.known[number]);
  }
  for (ByteView field : parts.unknown) out.insert(out.end(), field.begin(), field.end());
  return out;
}

// The author's key (go messagePubKey): `key` when field 6 is present, else the key inlined in
// an identity-multihash `from`.
Result<identity::KeyProto> author_key(const RawParts& parts, const mf::PeerId& author) {
  if (parts.known[6]) {
    auto key = identity::decode_public_key(*parts.known[6]);
    if (!key) return Error(errc::invalid_key, "gossipsub message key: " + key.error().message());
    auto canonical = noise::canonical_public_key(*key);
    if (!canonical) return Error(errc::invalid_key, canonical.error().message());
    if (mf::PeerId::from_public_key_proto(*canonical) != author) {
      return Error(errc::key_mismatch, "gossipsub message key is not the key of " + author.to_string());
    }
    return key;
  }
  auto inlined = author.public_key_proto();
  if (!inlined) {
    return Error(errc::no_public_key,
                 "gossipsub message from " + author.to_string() + " carries no key");
  }
  auto key = identity::decode_public_key(*inlined);
  if (!key) return Error(errc::invalid_key, "key inlined in the author: " + key.error().message());
  return key;
}

}  // namespace

Result<Bytes> signed_bytes(const Message& message) {
  CF_TRY_ASSIGN(parts, split_raw(message.raw));
  return signed_bytes_of(parts);
}

Result<mf::PeerId> verify_message(const Message& message) {
  CF_TRY_ASSIGN(parts, split_raw(message.raw));
  if (!parts.known[5]) return Error(errc::missing_signature);
  if (!parts.known[1]) return Error(errc::invalid_author, "gossipsub message without from");
  auto author = mf::PeerId::from_bytes(*parts.known[1]);
  if (!author) {
    return Error(errc::invalid_author, "gossipsub message from " +
                                           std::to_string(parts.known[1]->size()) +
                                           " bytes that are not a peer ID");
  }
  CF_TRY_ASSIGN(key, author_key(parts, *author));
  auto verified = noise::verify_signature(key, signed_bytes_of(parts), *parts.known[5]);
  if (!verified) {
    const errc code =
        verified.error() == noise::errc::invalid_identity_key ? errc::invalid_key : errc::bad_signature;
    return Error(code, "gossipsub message from " + author->to_string() + ": " +
                                          verified.error().message());
  }
  return std::move(*author);
}

Result<Message> sign_message(const identity::Ed25519Keypair& key, std::string topic, Bytes data,
                             std::uint64_t seqno) {
  Message m;
  m.from = key.public_key().peer_id().bytes();
  m.data = std::move(data);
  m.seqno.resize(8);
  for (int i = 0; i < 8; ++i) m.seqno[i] = static_cast<std::uint8_t>(seqno >> (56 - 8 * i));
  m.topic = std::move(topic);
  m.raw = encode_message(m);
  Bytes to_sign(sign_prefix.begin(), sign_prefix.end());
  to_sign.insert(to_sign.end(), m.raw.begin(), m.raw.end());
  const auto signature = key.sign(to_sign);
  m.signature.assign(signature.begin(), signature.end());
  pw::append_bytes_field(m.raw, 5, m.signature);
  if (field_size(m.raw.size()) > max_rpc_size) {
    return Error(errc::message_too_large, "gossipsub message of " + std::to_string(m.raw.size()) +
                                              " bytes does not fit one RPC");
  }
  return m;
}

MessageId message_id(const Message& message, IdForm form) {
  const std::size_t from_part =
      form == IdForm::cluster ? std::min<std::size_t>(16, message.from.size()) : message.from.size();
  MessageId id(message.from.begin(), message.from.begin() + static_cast<std::ptrdiff_t>(from_part));
  id.insert(id.end(), message.seqno.begin(), message.seqno.end());
  return id;
}

}  // namespace cf::p2p::gossipsub
