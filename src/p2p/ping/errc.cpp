// The "cf.p2p.ping" error category (pattern of src/base/errc.cpp).
#include "cf/p2p/ping/errc.hpp"

#include <string>

namespace cf::p2p::ping {
namespace {

class PingCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.ping"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::mismatch: return "ping echo does not match";
      case errc::unexpected_bytes: return "unexpected bytes on the ping stream";
      case errc::busy: return "a ping is already outstanding";
      case errc::timed_out: return "ping timed out";
    }
    return "unknown ping error";
  }
};

}  // namespace

const std::error_category& ping_category() {
  static const PingCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), ping_category()}; }

}  // namespace cf::p2p::ping
