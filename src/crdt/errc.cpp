// The "cf.crdt" error category (pattern of src/base/errc.cpp).
#include "cf/crdt/errc.hpp"

#include <string>

namespace cf::crdt {
namespace {

class CrdtCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.crdt"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::malformed_node: return "malformed dag-pb node";
      case errc::malformed_delta: return "malformed crdt delta";
      case errc::malformed_broadcast: return "malformed crdt broadcast";
      case errc::invalid_key: return "invalid crdt datastore key";
      case errc::too_large: return "crdt input exceeds its bound";
      case errc::hash_mismatch: return "block does not match its CID";
      case errc::unsupported_cid: return "CID cannot name a crdt node";
      case errc::priority_too_large: return "crdt node priority does not fit in 63 bits";
    }
    return "unknown crdt error";
  }
};

}  // namespace

const std::error_category& crdt_category() {
  static const CrdtCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), crdt_category()}; }

}  // namespace cf::crdt
