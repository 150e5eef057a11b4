#include "cf/kubo/errc.hpp"

#include <string>

namespace cf::kubo {
namespace {

class KuboCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.kubo"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::unreachable: return "Kubo RPC API unreachable";
      case errc::timed_out: return "Kubo RPC call timed out";
      case errc::api_error: return "Kubo returned an error";
      case errc::http_error: return "Kubo refused the request";
      case errc::bad_response: return "unexpected answer from Kubo";
      case errc::transport_failed: return "Kubo RPC transfer failed";
      case errc::stream_error: return "Kubo failed while streaming its answer";
      case errc::pin_timeout: return "pin made no progress within pin_timeout";
      case errc::not_pinned: return "not pinned";
    }
    return "unknown kubo error";
  }
};

}  // namespace

const std::error_category& kubo_category() {
  static const KuboCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), kubo_category()}; }

bool is_not_pinned(const Error& e) { return e == errc::not_pinned; }

}  // namespace cf::kubo
