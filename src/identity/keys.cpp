// libp2p key protobufs through the generated keys.pb.h (libp2p/specs peer-ids/peer-ids.md).
// The generated types stay in this file.
#include "cf/identity/keys.hpp"

#include <limits>
#include <string>

#include "cf/identity/errc.hpp"
#include "keys.pb.h"

namespace cf::identity {
namespace {

template <typename Message>
Bytes encode(const KeyProto& key) {
  Message m;
  m.set_type(static_cast<pb::KeyType>(key.type));
  m.set_data(key.data.data(), key.data.size());
  std::string out;
  m.SerializeToString(&out);
  return Bytes(out.begin(), out.end());
}

template <typename Message>
Result<KeyProto> decode(ByteView proto, const char* what) {
  Message m;
  if (proto.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      // Partial parse + IsInitialized: ParseFromArray would log to stderr for every key with a
      // missing required field, which a hostile peer could use to flood the log.
      !m.ParsePartialFromArray(proto.data(), static_cast<int>(proto.size())) || !m.IsInitialized()) {
    return Error(errc::invalid_key,
                 std::string("not a libp2p ") + what + " protobuf (" +
                     std::to_string(proto.size()) + " bytes)");
  }
  const std::string& data = m.data();
  return KeyProto{static_cast<KeyType>(m.type()), Bytes(data.begin(), data.end())};
}

}  // namespace

std::string_view to_string(KeyType type) {
  switch (type) {
    case KeyType::rsa: return "RSA";
    case KeyType::ed25519: return "Ed25519";
    case KeyType::secp256k1: return "Secp256k1";
    case KeyType::ecdsa: return "ECDSA";
  }
  return "unknown";
}

Bytes encode_public_key(const KeyProto& key) { return encode<pb::PublicKey>(key); }
Bytes encode_private_key(const KeyProto& key) { return encode<pb::PrivateKey>(key); }

Result<KeyProto> decode_public_key(ByteView proto) {
  return decode<pb::PublicKey>(proto, "PublicKey");
}

Result<KeyProto> decode_private_key(ByteView proto) {
  return decode<pb::PrivateKey>(proto, "PrivateKey");
}

}  // namespace cf::identity
