// The libp2p Noise handshake state machine (see handshake.hpp).
#include "cf/p2p/noise/handshake.hpp"

#include <utility>

#include "cf/p2p/noise/errc.hpp"
#include "cf/p2p/noise/framing.hpp"

namespace cf::p2p::noise {

Handshake::Handshake(Role role, const identity::Ed25519Keypair& identity,
                     std::optional<multiformats::PeerId> expected, Options options)
    : state_(role, options.static_key ? *options.static_key : X25519Keypair::generate(),
             options.prologue, options.ephemeral_key),
      our_payload_(encode_payload(
          make_payload(identity, state_.static_keypair().public_key, options.muxers))),
      expected_(std::move(expected)), our_muxers_(std::move(options.muxers)),
      step_(role == Role::initiator ? Step::start : Step::await_msg1) {}

Handshake Handshake::initiator(const identity::Ed25519Keypair& identity,
                               std::optional<multiformats::PeerId> expected, Options options) {
  return Handshake(Role::initiator, identity, std::move(expected), std::move(options));
}

Handshake Handshake::responder(const identity::Ed25519Keypair& identity,
                               std::optional<multiformats::PeerId> expected, Options options) {
  return Handshake(Role::responder, identity, std::move(expected), std::move(options));
}

Result<Bytes> Handshake::write_framed(ByteView payload) {
  CF_TRY_ASSIGN(message, state_.write_message(payload));
  return encode_frame(message);
}

Result<Bytes> Handshake::start() {
  if (step_ != Step::start) {
    return Error(errc::invalid_state, "start() is for an initiator that has not started");
  }
  // go sends msg1 with an empty payload (handshake.go: sendHandshakeMessage(hs, nil, ...)).
  auto frame = write_framed({});
  step_ = frame ? Step::await_msg2 : Step::failed;
  return frame;
}

Status Handshake::accept_payload(ByteView plaintext) {
  CF_TRY_ASSIGN(payload, decode_payload(plaintext));
  if (!state_.remote_static()) return Error(errc::invalid_state, "no remote static key yet");
  CF_TRY_ASSIGN(remote, verify_payload(payload, *state_.remote_static(), expected_));
  remote_ = std::move(remote);
  return ok();
}

Result<std::optional<Bytes>> Handshake::step(ByteView frame) {
  switch (step_) {
    case Step::await_msg1: {
      CF_TRY(state_.read_message(frame));  // go ignores msg1's payload
      CF_TRY_ASSIGN(msg2, write_framed(our_payload_));
      step_ = Step::await_msg3;
      return std::optional<Bytes>(std::move(msg2));
    }
    case Step::await_msg2: {
      CF_TRY_ASSIGN(payload, state_.read_message(frame));
      CF_TRY(accept_payload(payload));
      CF_TRY_ASSIGN(msg3, write_framed(our_payload_));
      step_ = Step::done;
      return std::optional<Bytes>(std::move(msg3));
    }
    case Step::await_msg3: {
      CF_TRY_ASSIGN(payload, state_.read_message(frame));
      CF_TRY(accept_payload(payload));
      step_ = Step::done;
      return std::optional<Bytes>();
    }
    default: break;
  }
  return Error(errc::unexpected_message, "a noise handshake frame arrived when none was expected");
}

Result<std::optional<Bytes>> Handshake::on_frame(ByteView frame) {
  if (step_ == Step::failed) {
    return Error(errc::invalid_state, "the noise handshake already failed");
  }
  if (frame.size() > max_message_size) {
    step_ = Step::failed;
    return Error(errc::message_too_large,
                 "noise handshake frame of " + std::to_string(frame.size()) + " bytes");
  }
  auto next = step(frame);
  if (!next) step_ = Step::failed;
  return next;
}

Result<Established> Handshake::finish() {
  if (step_ != Step::done || !remote_) {
    return Error(errc::invalid_state, "finish() before the noise handshake completed");
  }
  CF_TRY_ASSIGN(ciphers, state_.split());
  const bool initiator = state_.role() == Role::initiator;
  auto muxer = initiator ? match_muxers(our_muxers_, remote_->muxers)
                         : match_muxers(remote_->muxers, our_muxers_);
  step_ = Step::finished;
  return Established{remote_->id,    remote_->key,           remote_->muxers,
                     std::move(muxer), state_.handshake_hash(), SecureChannel(std::move(ciphers))};
}

}  // namespace cf::p2p::noise
