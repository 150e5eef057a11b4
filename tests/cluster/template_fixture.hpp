// A minimal valid follower template for tests to mutate.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cf::cluster::test {

// Peer IDs: the first is verified against web:static/0.14.2_identity.json (see the brief).
inline constexpr const char* trusted_id = "12D3KooW9rxqumy8vqCxnNfpeyT7zHGae6srENFW2gip8LMw3TsX";
inline constexpr const char* other_id = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
inline constexpr const char* secret_hex =
    "2588b80d5cb05374fa142aed6cbb047d1f4ef8ef15e37eba68c65b9d30df67ed";

inline nlohmann::json minimal_template() {
  return nlohmann::json{
      {"cluster",
       {{"secret", secret_hex},
        {"listen_multiaddress", "/ip4/127.0.0.1/tcp/9096"},
        {"peer_addresses", {std::string("/ip4/127.0.0.1/tcp/9097/p2p/") + trusted_id}}}},
      {"consensus", {{"crdt", {{"cluster_name", "test-cluster"}, {"trusted_peers", {trusted_id}}}}}},
      {"informer", {{"disk", nlohmann::json::object()}}},
      {"datastore", {{"pebble", nlohmann::json::object()}}},
  };
}

}  // namespace cf::cluster::test
