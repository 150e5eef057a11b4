// Noise HandshakeState for the one pattern libp2p uses, XX (Noise spec rev 34 §5.3, §7.5):
//   -> e
//   <- e, ee, s, es
//   -> s, se
// with the suite Noise_XX_25519_ChaChaPoly_SHA256 (libp2p-wire.md §4.2-4.3). No PSK modes, no
// pre-messages. The static key is given by the caller (go makes a fresh one per handshake,
// go-libp2p p2p/security/noise/handshake.go runHandshake); the ephemeral key may be injected for
// test vectors, else it is drawn from libsodium when the `e` token is written.
// Divergence from the spec's API: write_message/read_message return errc::invalid_state when it
// is not this side's turn, and the transport ciphers are taken with split() after the third
// message instead of being returned by it.
// A plain value owned by one connection; not thread-safe. Private keys are wiped on destruction.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/p2p/noise/cipher_state.hpp"
#include "cf/p2p/noise/symmetric_state.hpp"
#include "cf/p2p/noise/x25519.hpp"

namespace cf::p2p::noise {

inline constexpr std::string_view protocol_name = "Noise_XX_25519_ChaChaPoly_SHA256";
// Noise §3: no message may exceed 65535 bytes.
inline constexpr std::size_t max_message_size = 65535;

enum class Role : std::uint8_t { initiator, responder };

// The transport ciphers of one side, oriented: `send` encrypts what we write.
struct TransportCiphers {
  CipherState send;
  CipherState recv;
};

class HandshakeState {
 public:
  HandshakeState(Role role, X25519Keypair static_keypair, ByteView prologue = {},
                 std::optional<X25519Keypair> ephemeral = std::nullopt);

  // The next message of the pattern, carrying `payload` (encrypted once a key is mixed in).
  // errc::invalid_state when it is the peer's turn or the handshake is over;
  // errc::message_too_large above 65535 bytes.
  Result<Bytes> write_message(ByteView payload);
  // Processes the peer's next message and returns its payload. errc::truncated_message,
  // errc::decrypt_failed, errc::invalid_dh, errc::invalid_state. After an error the state is
  // unusable (every later call fails).
  Result<Bytes> read_message(ByteView message);

  Role role() const { return role_; }
  bool my_turn() const;
  bool is_complete() const { return step_ == 3; }
  // The peer's static key, known after the message carrying its `s`.
  const std::optional<PublicKey>& remote_static() const { return rs_; }
  const X25519Keypair& static_keypair() const { return s_; }
  const Hash& handshake_hash() const { return symmetric_.handshake_hash(); }
  // The transport ciphers (Split(), oriented by role); errc::invalid_state before completion.
  Result<TransportCiphers> split() const;

 private:
  enum class Token : std::uint8_t { e, s, ee, es, se };
  static std::span<const Token> pattern(int step);  // the tokens of message `step` (0..2)
  Status write_token(Token t, Bytes& out);
  Status read_token(Token t, ByteView message, std::size_t& pos);
  Status mix_dh(Token t);

  Role role_;
  SymmetricState symmetric_;
  X25519Keypair s_;
  std::optional<X25519Keypair> e_;
  std::optional<PublicKey> rs_;
  std::optional<PublicKey> re_;
  int step_ = 0;  // messages processed so far, 0..3
  bool failed_ = false;
};

}  // namespace cf::p2p::noise
