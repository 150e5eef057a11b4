#include "cf/cluster/errc.hpp"

#include <string>

namespace cf::cluster {
namespace {

class ClusterCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.cluster"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::invalid_template: return "invalid follower template";
      case errc::invalid_duration: return "invalid duration";
      case errc::invalid_env: return "invalid environment override";
      case errc::invalid_local_config: return "invalid local configuration";
      case errc::invalid_source: return "invalid configuration source";
      case errc::fetch_failed: return "could not fetch configuration from source";
      case errc::fetch_rejected: return "configuration source refused the request";
      case errc::unsupported_endpoint: return "unsupported IPFS node address";
      case errc::io_failed: return "configuration file i/o failed";
    }
    return "unknown cluster error";
  }
};

}  // namespace

const std::error_category& cluster_category() {
  static const ClusterCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), cluster_category()}; }

bool is_fetch_error(const Error& e) {
  return e == errc::fetch_failed || e == errc::fetch_rejected;
}

}  // namespace cf::cluster
