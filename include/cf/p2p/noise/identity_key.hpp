// Remote libp2p identity keys of every key type: validation, the canonical PublicKey protobuf
// the peer ID is derived from, and signature checks (libp2p/specs peer-ids/peer-ids.md "Keys";
// go-libp2p core/crypto key.go, ed25519.go, rsa_go.go, rsa_common.go, secp256k1.go, ecdsa.go;
// libp2p-wire.md §1.4-1.5). Rules, as go applies them:
//   Ed25519    32-byte key, RFC 8032 signature (libsodium).
//   RSA        PKIX (SubjectPublicKeyInfo) DER of 2048..8192 bits; PKCS#1 v1.5 over SHA-256.
//   Secp256k1  33-byte compressed or 65-byte uncompressed point; DER ECDSA signature over
//              SHA-256(message); the peer ID uses the compressed form (go's Raw()).
//   ECDSA      PKIX DER, named curve P-224/P-256/P-384/P-521, uncompressed point; DER ECDSA
//              signature over SHA-256(message).
// RSA, secp256k1 and ECDSA go through OpenSSL libcrypto; its types stay in identity_key.cpp.
// Divergences: libsodium rejects Ed25519 keys of small order that Go accepts (no honest peer
// has one); OpenSSL rejects ECDSA signatures with bytes after the DER value, which Go's
// asn1.Unmarshal ignores. The canonical RSA/ECDSA key is OpenSSL's DER re-encoding, which
// equals Go's x509.MarshalPKIXPublicKey for the keys both accept.
// Stateless functions; safe from any thread.
#pragma once

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/identity/keys.hpp"

namespace cf::p2p::noise {

// The PublicKey protobuf go re-marshals the key to (the input of peer.IDFromPublicKey), after
// checking the key data. errc::invalid_identity_key names what is wrong.
Result<Bytes> canonical_public_key(const identity::KeyProto& key);

// errc::invalid_signature when `signature` is not `key`'s signature of `message`;
// errc::invalid_identity_key when the key data does not parse.
Status verify_signature(const identity::KeyProto& key, ByteView message, ByteView signature);

}  // namespace cf::p2p::noise
