#include "cf/follower/init.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cf/base/errc.hpp"
#include "cf/cluster/local_config.hpp"
#include "cf/cluster/source.hpp"
#include "cf/identity/identity.hpp"

namespace cf::follower {
namespace {

namespace fs = std::filesystem;

identity::EnvLookup identity_env(const Getenv& getenv) {
  return [getenv](std::string_view name) { return getenv(name); };
}

// The identity to write: imported (then CLUSTER_ID/CLUSTER_PRIVATEKEY applied) or fresh.
// Written through to_json(), which is byte-identical to upstream's format.
Result<identity::Identity> choose_identity(const InitOptions& options, const Getenv& getenv) {
  if (options.identity_file) return identity::Identity::load_file(*options.identity_file, identity_env(getenv));
  auto fresh = identity::Identity::generate();
  CF_TRY(fresh.apply_env_overrides(identity_env(getenv)));
  return fresh;
}

// Created with O_EXCL and mode 0600 from the first byte: a key is never readable by others.
Status write_private_file(const fs::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error(last_system_error(), "cannot create " + path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return Error(last_system_error(), "cannot write " + path.string());
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return Error(last_system_error(), "cannot write " + path.string());
  return ok();
}

Status make_private_folder(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir.parent_path(), ec);
  if (ec) return Error(ec, "cannot create " + dir.parent_path().string() + ": " + ec.message());
  if (::mkdir(dir.c_str(), 0700) != 0) {
    if (errno == EEXIST) {
      return Error(errc::already_exists, "Configuration for this cluster already exists. Please delete " +
                                             dir.string() + " if you wish to re-initialize.");
    }
    return Error(last_system_error(), "cannot create " + dir.string());
  }
  ::chmod(dir.c_str(), 0700);  // mkdir's mode is filtered by the umask
  return ok();
}

}  // namespace

Result<InitReport> init_cluster(const ClusterPaths& paths, const InitOptions& options, const Getenv& getenv) {
  InitReport report;
  report.gateway = options.gateway;
  if (report.gateway.empty()) report.gateway = getenv("IPFS_GATEWAY").value_or(std::string(cluster::default_gateway));
  CF_TRY_ASSIGN(source, cluster::resolve_source(options.source, report.gateway));
  report.source_url = source.url;
  report.dnslink = source.dnslink;
  CF_TRY_ASSIGN(id, choose_identity(options, getenv));
  report.peer_id = id.id().to_string();

  CF_TRY(make_private_folder(paths.dir));
  auto written = write_private_file(paths.identity_json, id.to_json());
  if (written) written = cluster::save_local_config(paths.service_json, cluster::LocalConfig{source.url, {}});
  if (!written) {
    std::error_code ignored;
    fs::remove_all(paths.dir, ignored);
    return written.error();
  }
  return report;
}

}  // namespace cf::follower
