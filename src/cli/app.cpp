// The command line (DESIGN §2), parsed in two stages like upstream's ipfs-cluster-follow:
// global flags and the cluster name first, then a per-cluster app with the subcommands.
// Global flags therefore go before <name>: `cluster-follow --config DIR filecoin run`.
#include "cf/cli/app.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "cf/base/log.hpp"
#include "cf/base/version.hpp"
#include "cf/cli/commands.hpp"
#include "cf/follower/paths.hpp"

namespace cf::cli {
namespace {

constexpr const char* examples = R"(Examples:
  cluster-follow filecoin init filecoin.collab.ipfscluster.io
  cluster-follow filecoin run
  cluster-follow filecoin --init filecoin.collab.ipfscluster.io run
  cluster-follow filecoin status --quiet || echo "follower unhealthy"
  cluster-follow filecoin list --status pin_error
)";

struct GlobalFlags {
  std::string config;
  std::string log_level = "info";
};

// EX_USAGE (sysexits.h): distinct from every code `status` gives scripts (0-3).
constexpr int usage_exit_code = 64;

// Turns CLI11's parse exceptions into an exit code: 0 for --help and --version, 64 for a
// usage error (CLI11's own codes, 100+, mean nothing to a user).
template <typename F>
std::optional<int> parse_or_exit(CLI::App& app, F&& parse) {
  try {
    parse();
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : usage_exit_code;
  }
  return std::nullopt;
}

void add_cluster_subcommands(CLI::App& app, ClusterArgs& args) {
  app.add_option("--init", args.run_init_url,
                 "initialize from this template URL first, unless already initialized (with run)");
  app.add_option("--gateway", args.gateway, "IPFS gateway for DNSLink template names")
      ->envname("IPFS_GATEWAY");

  auto* info = app.add_subcommand("info", "show what this follower is and how it is doing");
  info->callback([&args] { args.command = Command::info; });

  auto* init = app.add_subcommand("init", "create the config folder: identity and template source");
  init->add_option("source", args.init_source, "template URL, or a DNSLink name")->required();
  init->add_option("--gateway", args.gateway, "IPFS gateway for DNSLink names (default 127.0.0.1:8080)")
      ->envname("IPFS_GATEWAY");
  init->add_option("--identity", args.identity_file,
                   "import this identity.json (e.g. from ~/.ipfs-cluster-follow/<name>/)")
      ->check(CLI::ExistingFile);
  init->callback([&args] { args.command = Command::init; });

  auto* run = app.add_subcommand("run", "follow the cluster until SIGINT or SIGTERM");
  run->add_option("--init", args.run_init_url, "initialize from this template URL first, unless already initialized");
  run->add_option("--gateway", args.gateway, "IPFS gateway for DNSLink names")->envname("IPFS_GATEWAY");
  run->add_option("--kubo-wait", args.kubo_wait, "how long to wait for Kubo's API at start (Go duration)")
      ->default_val("2m");
  // Not ->envname(): CLUSTER_FOLLOW_RESTAPI_URL goes through the template overrides, where the
  // flag stands in for it (flag > env > template), so problems name whichever was used.
  run->add_option("--rest-api", args.rest_api,
                  "follow the pinset through this trusted peer's REST API (wins over CLUSTER_FOLLOW_RESTAPI_URL "
                  "and cluster_follow.rest_api.url)");
  run->add_option("--metrics", args.metrics, "serve Prometheus /metrics and /health on this host:port (off by default)");
  run->callback([&args] { args.command = Command::run; });

  auto* list = app.add_subcommand("list", "list the pinset and each pin's status (reads the store)");
  list->add_option("--status", args.status_filter, "only these statuses, comma-separated")->delimiter(',');
  list->add_flag("--json", args.json, "one JSON object per line");
  list->callback([&args] { args.command = Command::list; });

  auto* status = app.add_subcommand("status", "one line for scripts; exit 0 healthy, 1 degraded, "
                                               "2 not running or Kubo unreachable, 3 not initialized");
  status->add_flag("--json", args.json, "print JSON instead of a line");
  status->add_flag("--quiet,-q", args.quiet, "print nothing; the exit code tells");
  status->add_option("--max-lag", args.max_lag, "degraded when the sync lag exceeds this (Go duration)");
  status->callback([&args] { args.command = Command::status; });

  auto* doctor = app.add_subcommand("doctor", "check every dependency, one line each; exit 0 when all are ok");
  doctor->callback([&args] { args.command = Command::doctor; });

  app.require_subcommand(0, 1);
}

int run_cluster_app(const GlobalFlags& flags, const std::string& name, std::vector<std::string> rest) {
  if (auto valid = follower::validate_cluster_name(name); !valid) {
    std::cerr << "error: " << valid.error().message() << "\n";
    return 1;
  }
  ClusterArgs args;
  args.name = name;
  args.config_flag = flags.config;
  CLI::App app{"cluster-follow: follow the IPFS Cluster \"" + name + "\"", "cluster-follow " + name};
  app.footer(examples);
  add_cluster_subcommands(app, args);
  std::reverse(rest.begin(), rest.end());  // CLI11 takes remaining arguments in reverse order
  if (auto code = parse_or_exit(app, [&] { app.parse(rest); })) return *code;
  if (args.command == Command::none) {
    // `<name> --init URL run` sets --init on this app; bare `<name>` shows info plus help.
    args.command = Command::info;
    args.show_help_after_info = app.help();
  }
  return dispatch(args);
}

}  // namespace

int run_cli(int argc, char** argv) {
  GlobalFlags flags;
  CLI::App app{"cluster-follow: a follower for IPFS Cluster collaborative clusters. It joins a "
               "cluster's pinset and pins it into your local Kubo.",
               "cluster-follow"};
  app.set_version_flag("--version", std::string("cluster-follow ") + std::string(version));
  app.add_option("--config", flags.config,
                 "parent folder of the per-cluster folders (default ~/.cluster-follow)")
      ->envname("CLUSTER_FOLLOW_PATH");
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error, critical or off")
      ->default_val("info");
  app.prefix_command();
  app.footer(examples);
  if (auto code = parse_or_exit(app, [&] { app.parse(argc, argv); })) return *code;

  log::configure_for_environment();
  if (!log::set_level(flags.log_level)) {
    std::cerr << "error: --log-level \"" << flags.log_level
              << "\" is not one of trace, debug, info, warn, error, critical, off\n";
    return 1;
  }
  auto remaining = app.remaining();
  if (remaining.empty()) return list_clusters(flags.config);
  std::string name = remaining.front();
  if (name.starts_with("-")) {
    // prefix_command passes unknown flags through; before a name they are usage errors.
    std::cerr << "error: unknown option " << name << " (global options go before the cluster name)\n"
              << "Run with --help for more information.\n";
    return usage_exit_code;
  }
  remaining.erase(remaining.begin());
  return run_cluster_app(flags, name, std::move(remaining));
}

}  // namespace cf::cli
