// The "cf.p2p.bitswap" error category (pattern of src/base/errc.cpp).
#include "cf/p2p/bitswap/errc.hpp"

#include <string>

namespace cf::p2p::bitswap {
namespace {

class BitswapCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.bitswap"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::malformed: return "malformed bitswap message";
      case errc::message_too_large: return "bitswap message too large";
      case errc::too_many_entries: return "too many bitswap want-list entries";
      case errc::too_many_blocks: return "too many blocks in a bitswap message";
      case errc::too_many_presences: return "too many block presences in a bitswap message";
      case errc::missing_cid: return "bitswap entry without a CID";
      case errc::invalid_cid: return "invalid CID in a bitswap message";
      case errc::cid_too_large: return "CID too large in a bitswap message";
      case errc::invalid_enum: return "invalid enum value in a bitswap message";
      case errc::invalid_prefix: return "invalid bitswap block prefix";
      case errc::unsupported_hash: return "unsupported multihash function";
      case errc::invalid_digest_length: return "invalid multihash digest length";
      case errc::hash_mismatch: return "block data does not match its CID";
      case errc::bad_block: return "bitswap block failed verification";
    }
    return "unknown bitswap error";
  }
};

}  // namespace

const std::error_category& bitswap_category() {
  static const BitswapCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), bitswap_category()}; }

}  // namespace cf::p2p::bitswap
