#include "cf/http/errc.hpp"

#include <string>

namespace cf::http {
namespace {

class HttpCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.http"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::invalid_request: return "invalid request";
      case errc::resolve_failed: return "could not resolve host";
      case errc::connect_failed: return "connection failed";
      case errc::timed_out: return "timed out";
      case errc::too_large: return "response body too large";
      case errc::too_many_redirects: return "too many redirects";
      case errc::tls_failed: return "TLS failure";
      case errc::aborted: return "aborted by the receiver";
      case errc::transport_failed: return "transfer failed";
      case errc::stalled: return "no data received";
      case errc::cancelled: return "cancelled";
    }
    return "unknown http error";
  }
};

}  // namespace

const std::error_category& http_category() {
  static const HttpCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), http_category()}; }

}  // namespace cf::http
