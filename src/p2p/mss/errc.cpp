// The "cf.p2p.mss" error category (pattern of src/base/errc.cpp).
#include "cf/p2p/mss/errc.hpp"

#include <string>

namespace cf::p2p::mss {
namespace {

class MssCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.mss"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::too_large: return "multistream message over 1024 bytes";
      case errc::missing_newline: return "multistream message did not have trailing newline";
      case errc::invalid_length: return "multistream length prefix is not a minimal varint";
      case errc::wrong_header: return "peer did not speak /multistream/1.0.0";
      case errc::unrecognized_response: return "unrecognized multistream response";
      case errc::not_supported: return "protocols not supported by the peer";
      case errc::invalid_protocol: return "invalid protocol ID";
      case errc::no_protocols: return "no protocols to propose";
      case errc::finished: return "multistream negotiation already finished";
    }
    return "unknown multistream error";
  }
};

}  // namespace

const std::error_category& mss_category() {
  static const MssCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), mss_category()}; }

}  // namespace cf::p2p::mss
