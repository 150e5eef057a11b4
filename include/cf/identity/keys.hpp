// libp2p key protobufs (libp2p/specs peer-ids/peer-ids.md "Keys"; go-libp2p
// core/crypto/pb/crypto.proto): PublicKey / PrivateKey { required KeyType Type = 1;
// required bytes Data = 2; } (proto2). Encoding is deterministic: fields in tag order, both
// present, minimal varints, so an Ed25519 public key is always 08 01 12 20 <32 bytes>.
// Peer IDs must be computed from encode_public_key(decode_public_key(x)), never from x.
#pragma once

#include <cstdint>
#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::identity {

enum class KeyType : std::uint8_t { rsa = 0, ed25519 = 1, secp256k1 = 2, ecdsa = 3 };

// "RSA", "Ed25519", "Secp256k1", "ECDSA" (the protobuf enum names).
std::string_view to_string(KeyType type);

// A decoded PublicKey or PrivateKey message. `data` is the type-specific key encoding.
struct KeyProto {
  KeyType type = KeyType::ed25519;
  Bytes data;
};

Bytes encode_public_key(const KeyProto& key);
Bytes encode_private_key(const KeyProto& key);

// errc::invalid_key when the bytes are not a PublicKey / PrivateKey message (missing field,
// unknown key type, malformed protobuf). The key data itself is not checked here.
Result<KeyProto> decode_public_key(ByteView proto);
Result<KeyProto> decode_private_key(ByteView proto);

}  // namespace cf::identity
