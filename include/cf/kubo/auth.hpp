// Kubo RPC credentials written the way Kubo's API.Authorizations AuthSecret writes them
// (kubo-rpc-and-lab.md A1): "basic:<user>:<password>", "bearer:<token>", or a bare token
// (bearer). Upstream's connector cannot authenticate at all; we can.
#pragma once

#include <string_view>

#include "cf/base/result.hpp"
#include "cf/http/client.hpp"

namespace cf::kubo {

// errc::invalid_input-style error (cf::errc) naming what is wrong, never echoing the secret.
Result<http::Auth> parse_auth_secret(std::string_view secret);

}  // namespace cf::kubo
