#include "cf/base/errc.hpp"

#include <cerrno>

namespace cf {
namespace {

class BaseCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.base"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::invalid_input: return "invalid input";
      case errc::io_failed: return "i/o failed";
      case errc::not_found: return "not found";
      case errc::already_exists: return "already exists";
      case errc::timed_out: return "timed out";
      case errc::cancelled: return "cancelled";
      case errc::too_deep: return "nested too deep";
    }
    return "unknown base error";
  }
};

}  // namespace

const std::error_category& base_category() {
  static const BaseCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), base_category()}; }

std::error_code last_system_error() { return {errno, std::generic_category()}; }

}  // namespace cf
