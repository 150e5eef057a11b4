// identity.json load/save and env overrides (ipfs-cluster config/identity.go: LoadJSON,
// ApplyEnvVars, Validate, ToJSON; upstream-follow-cli.md §5). Divergence: a non-Ed25519
// private key is refused, since only Ed25519 signing is implemented.
#include "cf/identity/identity.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <sodium.h>

#include "cf/base/errc.hpp"
#include "cf/base/json.hpp"
#include "cf/base/log.hpp"
#include "cf/identity/errc.hpp"
#include "cf/multiformats/multibase.hpp"

namespace cf::identity {

namespace mb = cf::multiformats::multibase;
using multiformats::PeerId;

namespace {

// identity.json is a few hundred bytes; anything far larger is not one.
constexpr std::size_t max_file_size = 1 << 20;

// The two fields as text, with where each one came from (for error messages).
struct Fields {
  std::string id;
  std::string private_key;
  std::string id_source = "id";
  std::string key_source = "private_key";
};

Error system_error(const std::string& what) {
  const int e = errno;
  return Error(e == ENOENT ? cf::errc::not_found : cf::errc::io_failed,
               what + ": " + std::strerror(e));
}

// identity.json holds the private key. Upstream never checks its mode and its users copy
// identities between machines, so a readable or linked file gets a warning; a world-writable
// one is refused: anyone on the machine could swap in their own key.
Status check_file_safety(int fd, const std::filesystem::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return system_error("identity file " + path.string() + ": cannot stat");
  const auto mode = static_cast<unsigned>(st.st_mode & 07777);
  const auto mode_text = fmt::format("{:04o}", mode);
  if ((mode & S_IWOTH) != 0) {
    return Error(errc::unsafe_file_mode, "identity file " + path.string() + " is writable by everyone (mode " +
                                             mode_text + "): anyone could replace the key; fix it with: chmod 600 " +
                                             path.string());
  }
  auto logger = log::get("config");
  if ((mode & (S_IRWXG | S_IRWXO)) != 0) {
    logger->warn("identity file {} is readable by others (mode {}): it holds the private key; chmod 600 {}",
                 path.string(), mode_text, path.string());
  }
  struct stat link {};
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(path, ec);
    logger->warn("identity file {} is a symbolic link to {}: two followers sharing one identity have the same "
                 "peer ID and disturb each other; give each follower its own copy",
                 path.string(), ec ? std::string("?") : target.string());
  }
  return ok();
}

Result<Fields> parse_fields(std::string_view text) {
  auto parsed = cf::parse_json(text, "");
  if (!parsed) return Error(errc::invalid_json, parsed.error().message());
  const auto& j = *parsed;
  if (!j.is_object()) return Error(errc::invalid_json, "not a JSON object");
  Fields f;
  for (const auto& [name, out] : {std::pair{"id", &f.id}, std::pair{"private_key", &f.private_key}}) {
    const auto it = j.find(name);
    if (it == j.end()) {
      return Error(errc::missing_field, std::string("missing field \"") + name + "\"");
    }
    if (!it->is_string()) {
      return Error(errc::invalid_json, std::string("field \"") + name + "\" is not a string");
    }
    *out = it->get<std::string>();
  }
  return f;
}

void apply_env(Fields& f, const EnvLookup& getenv) {
  if (!getenv) return;
  if (auto v = getenv(env_id)) {
    f.id = *v;
    f.id_source = env_id;
  }
  if (auto v = getenv(env_private_key)) {
    f.private_key = *v;
    f.key_source = env_private_key;
  }
}

Result<Ed25519Keypair> decode_private_key_text(const Fields& f) {
  auto proto = mb::decode_raw(mb::Base::base64_pad, f.private_key);
  if (!proto) {
    return Error(errc::invalid_base64,
                 f.key_source + " is not valid standard base64: " + proto.error().message());
  }
  auto key = Ed25519Keypair::from_proto(*proto);
  sodium_memzero(proto->data(), proto->size());
  if (!key) return Error(key.error().code(), f.key_source + ": " + key.error().message());
  return key;
}

// Builds an Identity from the two text fields; the id must belong to the key (Validate).
Result<Identity> build(const Fields& f) {
  auto id = PeerId::parse(f.id);
  if (!id) return Error(errc::invalid_id, f.id_source + ": " + id.error().message());
  CF_TRY_ASSIGN(key, decode_private_key_text(f));
  const PeerId key_id = key.public_key().peer_id();
  if (key_id != *id) {
    return Error(errc::id_mismatch, f.id_source + " does not match " + f.key_source + ": " +
                                        f.id_source + " is " + id->to_string() + ", " +
                                        f.key_source + " belongs to " + key_id.to_string());
  }
  return Identity::from_keypair(std::move(key));
}

}  // namespace

Identity Identity::generate() { return from_keypair(Ed25519Keypair::generate()); }

Identity Identity::from_keypair(Ed25519Keypair key) {
  auto id = key.public_key().peer_id();
  return Identity(std::move(id), std::move(key));
}

Result<Identity> Identity::from_json(std::string_view text, const EnvLookup& getenv) {
  CF_TRY_ASSIGN(fields, parse_fields(text));
  apply_env(fields, getenv);
  return build(fields);
}

Result<Identity> Identity::load_file(const std::filesystem::path& path, const EnvLookup& getenv) {
  const std::string where = "identity file " + path.string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return system_error(where + ": cannot open");
  if (auto safe = check_file_safety(fd, path); !safe) {
    ::close(fd);
    return safe.error();
  }
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = system_error(where + ": cannot read");
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > max_file_size) {
      ::close(fd);
      return Error(errc::invalid_json, where + ": larger than 1 MiB, not an identity.json");
    }
  }
  ::close(fd);
  auto identity = from_json(text, getenv);
  sodium_memzero(text.data(), text.size());
  if (!identity) identity.error().wrap(where);
  return identity;
}

std::string Identity::private_key_base64() const {
  Bytes proto = key_.to_proto();
  std::string text = mb::encode_raw(mb::Base::base64_pad, proto);
  sodium_memzero(proto.data(), proto.size());
  return text;
}

std::string Identity::to_json() const {
  nlohmann::ordered_json j;
  j["id"] = id_.to_string();
  j["private_key"] = private_key_base64();
  return j.dump(4);
}

Status Identity::apply_env_overrides(const EnvLookup& getenv) {
  Fields fields{id_.to_string(), private_key_base64()};
  apply_env(fields, getenv);
  CF_TRY_ASSIGN(updated, build(fields));
  *this = std::move(updated);
  return ok();
}

Status Identity::save_file(const std::filesystem::path& path, Overwrite overwrite) const {
  const std::string where = "identity file " + path.string();
  struct stat st {};
  if (overwrite == Overwrite::no && ::lstat(path.c_str(), &st) == 0) {
    return Error(cf::errc::already_exists, where + ": already exists; not overwriting it");
  }
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string tmp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return system_error(where + ": cannot create a temporary file in " + dir.string());
  auto fail = [&](const std::string& what) {
    Error e = system_error(where + ": " + what);
    ::unlink(tmp.c_str());
    return e;
  };
  std::string text = to_json();
  std::size_t written = 0;
  bool write_ok = ::fchmod(fd, 0600) == 0;
  while (write_ok && written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) write_ok = false;
    else written += static_cast<std::size_t>(n);
  }
  sodium_memzero(text.data(), text.size());
  if (!write_ok || ::fsync(fd) != 0) {
    Error e = fail("cannot write " + tmp);
    ::close(fd);
    return e;
  }
  if (::close(fd) != 0) return fail("cannot write " + tmp);
  if (overwrite == Overwrite::yes) {
    if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename " + tmp);
  } else {
    // link() fails with EEXIST instead of replacing, closing the race with the check above.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      if (errno == EEXIST) {
        ::unlink(tmp.c_str());
        return Error(cf::errc::already_exists, where + ": already exists; not overwriting it");
      }
      return fail("cannot link " + tmp);
    }
    ::unlink(tmp.c_str());
  }
  if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    ::fsync(dir_fd);  // best effort: make the rename durable
    ::close(dir_fd);
  }
  return ok();
}

}  // namespace cf::identity
