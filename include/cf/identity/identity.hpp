// The follower's libp2p identity and its identity.json (ipfs-cluster config/identity.go):
//   {
//       "id": "12D3KooW…",
//       "private_key": "CAESQ…"
//   }
// 4-space indent, no trailing newline; private_key is standard base64 (with padding) of the
// 68-byte PrivateKey protobuf. Only Ed25519 identities are supported (the upstream default
// since v0.11.0); an RSA identity.json is refused with errc::unsupported_key_type.
// Env overrides CLUSTER_ID and CLUSTER_PRIVATEKEY replace the fields, then the pair is
// re-validated, as upstream's ApplyEnvVars + Validate do.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cf/base/result.hpp"
#include "cf/identity/ed25519.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::identity {

// Looks up an environment variable; std::nullopt when unset. Injected so tests need no real
// environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;

// Environment variable names upstream reads (envconfig prefix "cluster").
inline constexpr std::string_view env_id = "CLUSTER_ID";
inline constexpr std::string_view env_private_key = "CLUSTER_PRIVATEKEY";

enum class Overwrite : bool { no = false, yes = true };

// A peer ID with the key pair it belongs to; the pair always matches. Regular value type.
class Identity {
 public:
  // A fresh random Ed25519 identity.
  static Identity generate();
  static Identity from_keypair(Ed25519Keypair key);

  // Parses identity.json text. With `getenv`, CLUSTER_ID / CLUSTER_PRIVATEKEY override the
  // fields before the id/key match is checked (upstream LoadJSON order).
  static Result<Identity> from_json(std::string_view text, const EnvLookup& getenv = nullptr);
  // Reads and parses a file; every error names the path. A file writable by everyone is
  // refused (errc::unsafe_file_mode, with the chmod that fixes it); one readable by others or
  // reached through a symbolic link is used with a warning on the "config" logger.
  static Result<Identity> load_file(const std::filesystem::path& path,
                                    const EnvLookup& getenv = nullptr);

  // Byte-identical to upstream's json.MarshalIndent(…, "", "    ").
  std::string to_json() const;

  // Writes to_json() with mode 0600 through a temporary file in the same folder and an atomic
  // rename. With Overwrite::no an existing file is left alone (cf::errc::already_exists).
  Status save_file(const std::filesystem::path& path, Overwrite overwrite = Overwrite::no) const;

  // Applies CLUSTER_ID / CLUSTER_PRIVATEKEY to this identity; on error it is unchanged.
  Status apply_env_overrides(const EnvLookup& getenv);

  const multiformats::PeerId& id() const { return id_; }
  const Ed25519Keypair& keypair() const { return key_; }
  // Standard base64 of the PrivateKey protobuf, as in identity.json.
  std::string private_key_base64() const;

 private:
  Identity(multiformats::PeerId id, Ed25519Keypair key)
      : id_(std::move(id)), key_(std::move(key)) {}

  multiformats::PeerId id_;
  Ed25519Keypair key_;
};

}  // namespace cf::identity
