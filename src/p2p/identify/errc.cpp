// The "cf.p2p.identify" error category (pattern of src/base/errc.cpp).
#include "cf/p2p/identify/errc.hpp"

#include <string>

namespace cf::p2p::identify {
namespace {

class IdentifyCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.identify"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::invalid_message: return "not an Identify message";
      case errc::invalid_length: return "identify frame length is not a minimal varint";
      case errc::message_too_large: return "identify message over 8 KiB";
      case errc::too_many_messages: return "too many identify messages";
      case errc::truncated: return "identify stream ended inside a message";
      case errc::invalid_public_key: return "identify publicKey is not a libp2p public key";
      case errc::peer_id_mismatch: return "identify publicKey belongs to another peer";
    }
    return "unknown identify error";
  }
};

}  // namespace

const std::error_category& identify_category() {
  static const IdentifyCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), identify_category()}; }

}  // namespace cf::p2p::identify
