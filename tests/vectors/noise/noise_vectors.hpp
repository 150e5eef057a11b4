// Loaders for the Noise test vectors in this folder (see ../PROVENANCE.md "noise"). Tests find
// the files next to this header, so no build-time path is needed.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cf/base/bytes.hpp"
#include "vectors/peer_id_spec.hpp"

namespace cf::test::noise_vectors {

inline std::filesystem::path dir() { return std::filesystem::path(__FILE__).parent_path(); }

inline Bytes read_file(const std::string& name) {
  std::ifstream in(dir() / name, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline Bytes unhex(const std::string& hex) {
  return hex.empty() ? Bytes{} : peer_id_spec::unhex(hex);
}

struct Message {
  Bytes payload;
  Bytes ciphertext;
};

// One handshake in the common shape of both formats. Keys are X25519 private keys.
struct Vector {
  std::string name;
  Bytes prologue;
  Bytes init_static, resp_static, init_ephemeral, resp_ephemeral;
  Bytes handshake_hash;  // empty when the source has none (flynn/noise)
  std::vector<Message> messages;
  // After the 3 handshake messages, who sends transport message i: cacophony alternates from
  // the responder (message 3 is responder -> initiator); flynn/noise's vector_test.go sends
  // message 3 with the initiator's cipher (k1) and message 4 with k2.
  bool transport_starts_with_initiator = false;
};

// cacophony JSON ({"vectors": [...]}), as in haskell-cryptography/cacophony vectors/.
inline std::vector<Vector> load_cacophony(const std::string& name) {
  std::ifstream in(dir() / name);
  const auto json = nlohmann::json::parse(in);
  std::vector<Vector> out;
  for (const auto& v : json.at("vectors")) {
    Vector vec{v.at("protocol_name").get<std::string>(),
               unhex(v.value("init_prologue", "")),
               unhex(v.at("init_static").get<std::string>()),
               unhex(v.at("resp_static").get<std::string>()),
               unhex(v.at("init_ephemeral").get<std::string>()),
               unhex(v.at("resp_ephemeral").get<std::string>()),
               unhex(v.value("handshake_hash", "")),
               {},
               false};
    for (const auto& m : v.at("messages")) {
      vec.messages.push_back({unhex(m.at("payload").get<std::string>()),
                              unhex(m.at("ciphertext").get<std::string>())});
    }
    out.push_back(std::move(vec));
  }
  return out;
}

// flynn/noise vectors.txt blocks: key=value lines, a blank line between handshakes.
inline std::vector<Vector> load_flynn(const std::string& name) {
  std::ifstream in(dir() / name);
  std::vector<Vector> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    if (key == "handshake") {
      out.push_back(Vector{value, {}, {}, {}, {}, {}, {}, {}, true});
      continue;
    }
    if (out.empty()) continue;
    Vector& v = out.back();
    if (key == "init_static") v.init_static = unhex(value);
    if (key == "resp_static") v.resp_static = unhex(value);
    if (key == "gen_init_ephemeral") v.init_ephemeral = unhex(value);
    if (key == "gen_resp_ephemeral") v.resp_ephemeral = unhex(value);
    if (key == "prologue") v.prologue = unhex(value);
    if (key.ends_with("_payload")) v.messages.push_back({unhex(value), {}});
    if (key.ends_with("_ciphertext")) v.messages.back().ciphertext = unhex(value);
  }
  return out;
}

}  // namespace cf::test::noise_vectors
