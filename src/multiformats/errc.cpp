// The "cf.multiformats" error category (pattern of src/base/errc.cpp).
#include "cf/multiformats/errc.hpp"

#include <string>

namespace cf::multiformats {
namespace {

class MultiformatsCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.multiformats"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::truncated: return "truncated input";
      case errc::varint_overflow: return "varint overflows 63 bits";
      case errc::varint_not_minimal: return "varint is not minimally encoded";
      case errc::unknown_base: return "unknown multibase";
      case errc::invalid_encoding: return "invalid encoding";
      case errc::invalid_multihash: return "invalid multihash";
      case errc::invalid_cid: return "invalid CID";
      case errc::unknown_protocol: return "unknown multiaddr protocol";
      case errc::invalid_multiaddr: return "invalid multiaddr";
      case errc::invalid_peer_id: return "invalid peer ID";
    }
    return "unknown multiformats error";
  }
};

}  // namespace

const std::error_category& multiformats_category() {
  static const MultiformatsCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), multiformats_category()}; }

}  // namespace cf::multiformats
