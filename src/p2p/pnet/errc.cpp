// The "cf.p2p.pnet" error category (pattern of src/base/errc.cpp).
#include "cf/p2p/pnet/errc.hpp"

#include <string>

namespace cf::p2p::pnet {
namespace {

class PnetCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.pnet"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::invalid_psk: return "the private network secret is not 64 hex characters";
      case errc::invalid_swarm_key: return "malformed swarm.key";
      case errc::unknown_key_encoding: return "unknown swarm.key encoding";
    }
    return "unknown pnet error";
  }
};

}  // namespace

const std::error_category& pnet_category() {
  static const PnetCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), pnet_category()}; }

}  // namespace cf::p2p::pnet
