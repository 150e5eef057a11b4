// Noise XX HandshakeState (Noise spec §5.3 WriteMessage/ReadMessage, §7.5 XX; see the header).
#include "cf/p2p/noise/handshake_state.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "cf/p2p/noise/errc.hpp"

namespace cf::p2p::noise {
namespace {

// Message i of XX is sent by the initiator when i is even.
bool initiator_sends(int step) { return step % 2 == 0; }

}  // namespace

HandshakeState::HandshakeState(Role role, X25519Keypair static_keypair, ByteView prologue,
                               std::optional<X25519Keypair> ephemeral)
    : role_(role), symmetric_(protocol_name), s_(std::move(static_keypair)),
      e_(std::move(ephemeral)) {
  symmetric_.mix_hash(prologue);  // XX has no pre-message keys
}

bool HandshakeState::my_turn() const {
  return !failed_ && step_ < 3 && initiator_sends(step_) == (role_ == Role::initiator);
}

Status HandshakeState::mix_dh(Token t) {
  // ee = DH(e, re); es = DH(e, rs) on the initiator, DH(s, re) on the responder; se mirrors es.
  const bool init = role_ == Role::initiator;
  const bool use_e = t == Token::ee || (t == Token::es) == init;
  const bool use_re = t == Token::ee || (t == Token::es) != init;
  const std::optional<PublicKey>& theirs = use_re ? re_ : rs_;
  if (!theirs || (use_e && !e_)) return Error(errc::invalid_state, "DH before both keys are known");
  CF_TRY_ASSIGN(shared, dh(use_e ? *e_ : s_, *theirs));
  symmetric_.mix_key(shared.view());
  return ok();
}

Status HandshakeState::write_token(Token t, Bytes& out) {
  switch (t) {
    case Token::e:
      if (!e_) e_ = X25519Keypair::generate();
      out.insert(out.end(), e_->public_key.begin(), e_->public_key.end());
      symmetric_.mix_hash(e_->public_key);
      return ok();
    case Token::s: return symmetric_.encrypt_and_hash(s_.public_key, out);
    default: return mix_dh(t);
  }
}

Status HandshakeState::read_token(Token t, ByteView message, std::size_t& pos) {
  const ByteView rest = message.subspan(pos);
  switch (t) {
    case Token::e: {
      if (rest.size() < key_size) break;
      PublicKey re{};
      std::copy_n(rest.begin(), key_size, re.begin());
      re_ = re;
      symmetric_.mix_hash(re);
      pos += key_size;
      return ok();
    }
    case Token::s: {
      const std::size_t len = key_size + (symmetric_.has_key() ? tag_size : 0);
      if (rest.size() < len) break;
      Bytes plain;
      CF_TRY(symmetric_.decrypt_and_hash(rest.first(len), plain));
      PublicKey rs{};
      std::copy_n(plain.begin(), key_size, rs.begin());
      rs_ = rs;
      pos += len;
      return ok();
    }
    default: return mix_dh(t);
  }
  return Error(errc::truncated_message, "noise handshake message " + std::to_string(step_ + 1) +
                                            " is truncated (" + std::to_string(message.size()) +
                                            " bytes)");
}

std::span<const HandshakeState::Token> HandshakeState::pattern(int step) {
  static constexpr Token msg1[] = {Token::e};
  static constexpr Token msg2[] = {Token::e, Token::ee, Token::s, Token::es};
  static constexpr Token msg3[] = {Token::s, Token::se};
  switch (step) {
    case 0: return msg1;
    case 1: return msg2;
    default: return msg3;
  }
}

Result<Bytes> HandshakeState::write_message(ByteView payload) {
  if (!my_turn()) return Error(errc::invalid_state, "not our turn to write a handshake message");
  Bytes out;
  for (Token t : pattern(step_)) {
    if (auto r = write_token(t, out); !r) {
      failed_ = true;
      return r.error();
    }
  }
  if (auto r = symmetric_.encrypt_and_hash(payload, out); !r) {
    failed_ = true;
    return r.error();
  }
  if (out.size() > max_message_size) {
    failed_ = true;
    return Error(errc::message_too_large, "noise handshake message of " +
                                              std::to_string(out.size()) + " bytes");
  }
  ++step_;
  return out;
}

Result<Bytes> HandshakeState::read_message(ByteView message) {
  if (failed_ || step_ >= 3 || my_turn()) {
    return Error(errc::invalid_state, "not expecting a handshake message now");
  }
  if (message.size() > max_message_size) {
    failed_ = true;
    return Error(errc::message_too_large,
                 "noise handshake message of " + std::to_string(message.size()) + " bytes");
  }
  std::size_t pos = 0;
  Bytes payload;
  for (Token t : pattern(step_)) {
    if (auto r = read_token(t, message, pos); !r) {
      failed_ = true;
      return r.error();
    }
  }
  if (auto r = symmetric_.decrypt_and_hash(message.subspan(pos), payload); !r) {
    failed_ = true;
    return r.error();
  }
  ++step_;
  return payload;
}

Result<TransportCiphers> HandshakeState::split() const {
  if (!is_complete()) return Error(errc::invalid_state, "split() before the handshake completed");
  auto [c1, c2] = symmetric_.split();
  if (role_ == Role::initiator) return TransportCiphers{c1, c2};
  return TransportCiphers{c2, c1};
}

}  // namespace cf::p2p::noise
