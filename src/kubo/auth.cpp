#include "cf/kubo/auth.hpp"

#include "cf/base/errc.hpp"

namespace cf::kubo {

Result<http::Auth> parse_auth_secret(std::string_view secret) {
  if (secret.empty()) return http::Auth{};
  if (secret.starts_with("basic:")) {
    auto rest = secret.substr(6);
    auto colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Error(cf::errc::invalid_input, "Kubo auth secret: \"basic:\" needs <user>:<password>");
    }
    return http::Auth{http::BasicAuth{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))}};
  }
  auto token = secret.starts_with("bearer:") ? secret.substr(7) : secret;
  if (token.empty()) return Error(cf::errc::invalid_input, "Kubo auth secret: the bearer token is empty");
  return http::Auth{http::BearerAuth{std::string(token)}};
}

}  // namespace cf::kubo
