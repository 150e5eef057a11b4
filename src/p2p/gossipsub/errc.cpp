// The "cf.p2p.gossipsub" error category (pattern of src/base/errc.cpp).
#include "cf/p2p/gossipsub/errc.hpp"

#include <string>

namespace cf::p2p::gossipsub {
namespace {

class GossipsubCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.gossipsub"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::malformed_rpc: return "malformed gossipsub RPC";
      case errc::rpc_too_large: return "gossipsub RPC too large";
      case errc::limit_exceeded: return "gossipsub RPC exceeds a limit";
      case errc::missing_signature: return "gossipsub message without signature";
      case errc::invalid_author: return "gossipsub message author is not a peer ID";
      case errc::no_public_key: return "gossipsub message carries no public key";
      case errc::invalid_key: return "gossipsub message key is invalid";
      case errc::key_mismatch: return "gossipsub message key does not match its author";
      case errc::bad_signature: return "gossipsub message signature does not verify";
      case errc::unsupported_protocol: return "unsupported gossipsub protocol";
      case errc::wrong_key: return "gossipsub publish key is not the router's identity";
      case errc::message_too_large: return "gossipsub message too large";
    }
    return "unknown gossipsub error";
  }
};

}  // namespace

const std::error_category& gossipsub_category() {
  static const GossipsubCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), gossipsub_category()}; }

}  // namespace cf::p2p::gossipsub
