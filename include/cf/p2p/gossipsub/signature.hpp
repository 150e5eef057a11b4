// Message signing and verification under StrictSign, and message IDs, as go-libp2p-pubsub v0.16
// sign.go (verifyMessageSignature, messagePubKey, signMessage) and pubsub.go
// (checkSigningPolicy, DefaultMsgIdFn) do them; the cluster's ID function is ipfs-cluster
// clusterhost.go hashMsgID (libp2p-wire.md §7.4).
//
// What go verifies, and so what we verify: the signature over "libp2p-pubsub:" followed by the
// Message as go's generated Marshal writes it after clearing signature and key, which is
//   from, data, seqno, topic (each once, the last value received, when present, with minimal
//   length varints), then every unknown field exactly as received and in received order
//   (gogo keeps them in XXX_unrecognized and appends them at the end).
// That is built from Message::raw, so present-but-empty fields and unknown fields count as go
// counts them. For a Message as every go signer writes it (fields 1-4 in order, once each,
// unknown fields after them) this equals "raw minus every field 5 and 6", byte for byte. It
// differs only for a reordered or repeated field, where we follow go rather than the letter
// of "verify the received bytes": a reordering that go accepts, we accept. (Checked against
// go-libp2p-pubsub v0.16's generated Unmarshal/Marshal; see signature_test.cpp.)
//
// The key: `key` when field 6 is present (even empty, as in go), which must parse and hash to
// `from` (IDFromPublicKey of its canonical form); otherwise the PublicKey protobuf inlined in
// an identity-multihash `from`. All four libp2p key types (noise::verify_signature). The seqno
// is not checked: go requires neither its presence nor its length (8 bytes is what signers
// write), and neither do we.
// Stateless functions; safe from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/identity/ed25519.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/gossipsub/rpc.hpp"

namespace cf::p2p::gossipsub {

// go's SignPrefix.
inline constexpr std::string_view sign_prefix = "libp2p-pubsub:";

// The bytes the signature covers (sign_prefix included), from message.raw. Errors:
// malformed_rpc when raw does not parse.
Result<Bytes> signed_bytes(const Message& message);

// The author's peer ID when the message is validly signed. Errors: missing_signature,
// invalid_author, no_public_key, invalid_key, key_mismatch, bad_signature, malformed_rpc.
Result<multiformats::PeerId> verify_message(const Message& message);

// A signed message as go's Publish builds it: from = our peer ID, data, seqno = 8 bytes
// big-endian, topic, then the signature; no key (an Ed25519 key is inlined in the peer ID).
// `raw` holds the encoding. Error: message_too_large when the message could not be sent in one
// RPC of max_rpc_size.
Result<Message> sign_message(const identity::Ed25519Keypair& key, std::string topic, Bytes data,
                     std::uint64_t seqno);

// How message IDs are formed: cluster = from[0:16] || seqno (ipfs-cluster >= 1.1.2 hashMsgID),
// full = from || seqno (go's DefaultMsgIdFn, cluster 1.1.0 and 1.1.1).
enum class IdForm : std::uint8_t { cluster, full };

// The message's ID in `form`. A `from` shorter than 16 bytes is taken whole (go would panic;
// such a message never verifies anyway).
MessageId message_id(const Message& message, IdForm form);

}  // namespace cf::p2p::gossipsub
