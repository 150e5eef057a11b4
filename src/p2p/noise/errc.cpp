// The "cf.p2p.noise" error category (pattern of src/base/errc.cpp).
#include "cf/p2p/noise/errc.hpp"

#include <string>

namespace cf::p2p::noise {
namespace {

class NoiseCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.noise"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::message_too_large: return "noise message larger than 65535 bytes";
      case errc::truncated_message: return "truncated noise handshake message";
      case errc::decrypt_failed: return "noise decryption failed (bad tag)";
      case errc::nonce_exhausted: return "noise nonce exhausted";
      case errc::invalid_dh: return "invalid X25519 public key (low-order point)";
      case errc::invalid_payload: return "malformed noise handshake payload";
      case errc::invalid_identity_key: return "invalid libp2p identity key";
      case errc::unsupported_key_type: return "unsupported libp2p identity key type";
      case errc::invalid_signature: return "noise handshake signature invalid";
      case errc::peer_id_mismatch: return "remote peer ID does not match the expected one";
      case errc::buffer_overflow: return "too many buffered noise bytes";
      case errc::unexpected_message: return "unexpected noise handshake message";
      case errc::invalid_state: return "noise API called in the wrong state";
      case errc::channel_failed: return "noise channel already failed";
    }
    return "unknown noise error";
  }
};

}  // namespace

const std::error_category& noise_category() {
  static const NoiseCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), noise_category()}; }

}  // namespace cf::p2p::noise
