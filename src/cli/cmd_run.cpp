// `run [--init URL]`: optional init, then the daemon in the foreground.
#include <filesystem>
#include <iostream>

#include "cf/base/errc.hpp"
#include "cf/base/log.hpp"
#include "cf/cli/commands.hpp"
#include "cf/cluster/duration.hpp"
#include "cf/follower/daemon.hpp"
#include "cf/follower/init.hpp"
#include "output.hpp"

namespace cf::cli {
namespace {

// `run --init URL` initializes only a missing folder, as upstream does.
int init_unless_present(const ClusterArgs& args, const follower::ClusterPaths& paths) {
  std::error_code ec;
  if (std::filesystem::exists(paths.dir, ec)) {
    std::cout << "Configuration for this cluster already exists. Skipping initialization.\n"
              << "If you wish to re-initialize, simply delete " << paths.dir.string() << "\n\n";
    return 0;
  }
  ClusterArgs init_args = args;
  init_args.init_source = args.run_init_url;
  return init_command(init_args);
}

// On a terminal the countdown rewrites one line; elsewhere (journal, files) one log line
// every 10 s keeps the log readable.
follower::KuboWaitTick countdown() {
  bool terminal = stderr_is_terminal();
  return [terminal](std::chrono::seconds left, const Error& last) {
    if (terminal) {
      std::cerr << "\r\033[Kwaiting for Kubo: " << left.count() << " s left (" << last.message() << ")"
                << std::flush;
    } else if (left.count() % 10 == 0) {
      log::get("ipfshttp")->info("waiting for Kubo: {} s left ({})", left.count(), last.message());
    }
  };
}

}  // namespace

int run_command(const ClusterArgs& args) {
  auto env = follower::process_env();
  auto root = follower::config_root(args.config_flag, env);
  if (!root) return print_error(root.error());
  auto paths = follower::ClusterPaths::under(*root, args.name);
  if (auto readable = paths.check_access(); !readable) return print_error(readable.error());
  if (!args.run_init_url.empty()) {
    if (int code = init_unless_present(args, paths); code != 0) return code;
  }
  if (!paths.initialized()) {
    print_not_initialized(args.name);
    return 1;
  }
  auto kubo_wait = cluster::parse_duration(args.kubo_wait);
  if (!kubo_wait || kubo_wait->count() < 0) {
    return print_error(Error(errc::invalid_input, "--kubo-wait \"" + args.kubo_wait + "\" is not a duration like 2m or 90s"));
  }

  std::cout << "Starting the cluster-follow peer for \"" << args.name << "\".\nCTRL-C to stop it.\n" << std::flush;
  follower::RunOptions options;
  options.kubo_wait = std::chrono::duration_cast<std::chrono::seconds>(cluster::clamp_template_duration(*kubo_wait));
  options.on_kubo_wait = countdown();
  options.rest_api_url = args.rest_api;
  options.metrics_listen = args.metrics;
  if (stderr_is_terminal()) options.on_kubo_ready = [] { std::cerr << "\r\033[K" << std::flush; };
  auto result = follower::run_daemon(paths, options, env);
  if (!result) return print_error(result.error());
  return 0;
}

}  // namespace cf::cli
