// The "cf.identity" error category (pattern of src/base/errc.cpp).
#include "cf/identity/errc.hpp"

#include <string>

namespace cf::identity {
namespace {

class IdentityCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.identity"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::invalid_key: return "invalid key";
      case errc::unsupported_key_type: return "unsupported key type";
      case errc::invalid_json: return "invalid identity JSON";
      case errc::missing_field: return "missing identity field";
      case errc::invalid_base64: return "invalid base64";
      case errc::invalid_id: return "invalid peer ID";
      case errc::id_mismatch: return "id does not match private_key";
      case errc::unsafe_file_mode: return "identity file writable by everyone";
    }
    return "unknown identity error";
  }
};

}  // namespace

const std::error_category& identity_category() {
  static const IdentityCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), identity_category()}; }

}  // namespace cf::identity
