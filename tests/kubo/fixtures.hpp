// Shared by the kubo tests: a client for a loopback port and a few real CIDs.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cf/kubo/client.hpp"

namespace cf::kubo::test {

inline Client client_for(std::uint16_t port,
                         std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
  ClientOptions o;
  o.endpoint = {"http://127.0.0.1:" + std::to_string(port), ""};
  o.timeout = timeout;
  return Client(o);
}

inline multiformats::Cid cid(const char* text) {
  auto c = multiformats::Cid::parse(text);
  if (!c) std::abort();  // a typo in a test constant
  return *c;
}

// The empty UnixFS directory (v0), and two v1 CIDs.
inline const char* const cid_v0 = "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn";
inline const char* const cid_v1 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
inline const char* const cid_v1_raw = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

inline std::string port_url(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

}  // namespace cf::kubo::test
