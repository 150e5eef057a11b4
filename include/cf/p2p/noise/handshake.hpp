// The libp2p Noise handshake (protocol ID "/noise"), sans-I/O (libp2p/specs noise/README.md;
// go-libp2p p2p/security/noise/handshake.go runHandshake, transport.go; libp2p-wire.md §0.1
// step 4, §4). XX with an empty prologue (go passes nil over TCP) and a fresh X25519 static
// key per handshake, never persisted:
//   initiator: start() -> msg1 (e, empty payload)
//   responder: on_frame(msg1) -> msg2 (e, ee, s, es, payload with our muxers)
//   initiator: on_frame(msg2) -> msg3 (s, se, payload with our muxers); done
//   responder: on_frame(msg3) -> nothing; done
// The remote payload is checked when it arrives (payload.hpp): a wrong key, signature or
// peer ID fails the handshake before we answer. msg1's payload is ignored, as go does.
// Early muxer negotiation (libp2p-wire.md §4.6): both sides offer Options::muxers
// (["/yamux/1.0.0"]); the muxer is the first of the initiator's list the responder lists too.
//
// Driving it: read wire bytes into a FrameReader, pass each frame to on_frame(), write what it
// returns (already length-prefixed). When done(), call finish() and feed the reader's
// take_buffered() leftovers to the channel: the peer may send transport frames right behind
// the last handshake message.
// Ownership: a movable value owned by one connection; not thread-safe; no I/O, no timers (the
// driver bounds the handshake with its own deadline). Private keys are wiped on destruction;
// the Ed25519 identity key is used in the factories only and not kept.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/identity/ed25519.hpp"
#include "cf/identity/keys.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/noise/handshake_state.hpp"
#include "cf/p2p/noise/payload.hpp"
#include "cf/p2p/noise/secure_channel.hpp"
#include "cf/p2p/noise/x25519.hpp"

namespace cf::p2p::noise {

// The multistream-select protocol ID of this security transport.
inline constexpr std::string_view protocol_id = "/noise";
inline constexpr std::string_view yamux_muxer = "/yamux/1.0.0";

struct Options {
  // Muxers offered in the payload extensions, in preference order.
  std::vector<std::string> muxers{std::string(yamux_muxer)};
  Bytes prologue;  // empty for libp2p over TCP
  // Keys for tests; production leaves them empty and libsodium draws fresh ones.
  std::optional<X25519Keypair> static_key;
  std::optional<X25519Keypair> ephemeral_key;
};

// The outcome of a completed handshake.
struct Established {
  multiformats::PeerId remote;
  identity::KeyProto remote_key;           // the remote identity key as received
  std::vector<std::string> remote_muxers;  // what the remote offered (empty if none)
  std::optional<std::string> muxer;        // early-negotiated muxer; nullopt: run mss for it
  Hash handshake_hash;                     // the Noise transcript hash h
  SecureChannel channel;
};

class Handshake {
 public:
  // The dialer. `expected` is the peer ID from the /p2p/ address; when set, a different remote
  // fails with errc::peer_id_mismatch.
  static Handshake initiator(const identity::Ed25519Keypair& identity,
                             std::optional<multiformats::PeerId> expected, Options options = {});
  // The listener. `expected` is usually empty (any peer may connect).
  static Handshake responder(const identity::Ed25519Keypair& identity,
                             std::optional<multiformats::PeerId> expected = std::nullopt,
                             Options options = {});

  // The initiator's first frame (length-prefixed msg1). errc::invalid_state on a responder or
  // when called twice.
  Result<Bytes> start();
  // One complete Noise message (a FrameReader frame, without the length prefix). Returns the
  // length-prefixed frame to send next, if any. Any error ends the handshake: later calls
  // return errc::invalid_state.
  Result<std::optional<Bytes>> on_frame(ByteView frame);

  bool done() const { return step_ == Step::done; }
  bool failed() const { return step_ == Step::failed; }
  Role role() const { return state_.role(); }
  // The remote's verified identity, once its payload arrived.
  const std::optional<RemoteIdentity>& remote() const { return remote_; }

  // The session; errc::invalid_state before done() or on a second call.
  Result<Established> finish();

 private:
  enum class Step : std::uint8_t { start, await_msg1, await_msg2, await_msg3, done, failed, finished };

  Handshake(Role role, const identity::Ed25519Keypair& identity,
            std::optional<multiformats::PeerId> expected, Options options);
  Result<std::optional<Bytes>> step(ByteView frame);
  Result<Bytes> write_framed(ByteView payload);
  Status accept_payload(ByteView plaintext);

  HandshakeState state_;
  Bytes our_payload_;  // encoded once at construction (it signs our static key)
  std::optional<multiformats::PeerId> expected_;
  std::vector<std::string> our_muxers_;
  std::optional<RemoteIdentity> remote_;
  Step step_;
};

}  // namespace cf::p2p::noise
