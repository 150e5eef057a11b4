// Dispatch and the commands that need no daemon: the cluster listing and init.
#include "cf/cli/commands.hpp"

#include <iostream>

#include "cf/follower/init.hpp"
#include "cf/follower/paths.hpp"
#include "output.hpp"

namespace cf::cli {

int list_clusters(const std::string& config_flag) {
  auto root = follower::config_root(config_flag, follower::process_env());
  if (!root) return print_error(root.error());
  auto names = follower::configured_clusters(*root);
  if (names.empty()) {
    std::cout << "\nNo clusters configured yet!\n \n"
                 "If this is the first time you are running cluster-follow,\n"
                 "be sure to check out the usage documentation. Here are some\n"
                 "examples to get you going:\n\n"
                 "$ cluster-follow --help                     - general description and usage help\n"
                 "$ cluster-follow <clusterName> --help       - help and subcommands for the <clusterName> follower peer\n"
                 "$ cluster-follow <clusterName> init --help  - help for the \"init\" subcommand\n";
    return 0;
  }
  std::cout << "Configurations found for " << names.size() << " follower peers. For info and help, try running:\n\n";
  for (const auto& name : names) std::cout << "cluster-follow \"" << name << "\"\n";
  std::cout << "\nTip: \"cluster-follow --help\" for help and examples.\n";
  return 0;
}

int init_command(const ClusterArgs& args) {
  auto root = follower::config_root(args.config_flag, follower::process_env());
  if (!root) return print_error(root.error());
  auto paths = follower::ClusterPaths::under(*root, args.name);
  follower::InitOptions options{args.init_source, args.gateway, std::nullopt};
  if (!args.identity_file.empty()) options.identity_file = args.identity_file;
  auto report = follower::init_cluster(paths, options, follower::process_env());
  if (!report) return print_error(report.error());
  if (report->dnslink) {
    std::cout << args.init_source << " will be assumed to be a DNSLink-powered address: /ipns/" << args.init_source
              << ".\nIt will be resolved using the local IPFS daemon's gateway (" << report->gateway
              << ").\nIf this is not the case, specify the full url starting with http:// or https://.\n"
                 "(You can override the gateway URL with --gateway or by setting IPFS_GATEWAY)\n\n";
  }
  std::cout << "Identity written to " << paths.identity_json.string() << ".\n"
            << "Configuration written to " << paths.service_json.string() << ".\n"
            << "Peer ID: " << report->peer_id << "\n"
            << "Cluster \"" << args.name << "\" follower peer initialized.\n\n"
            << "You can now use \"cluster-follow " << args.name
            << " run\" to start a follower peer for this cluster.\n"
            << "(Remember to start your IPFS daemon before)\n";
  return 0;
}

int dispatch(const ClusterArgs& args) {
  switch (args.command) {
    case Command::init: return init_command(args);
    case Command::run: return run_command(args);
    case Command::list: return list_command(args);
    case Command::status: return status_command(args);
    case Command::doctor: return doctor_command(args);
    case Command::info:
    case Command::none: return info_command(args);
  }
  return 1;
}

}  // namespace cf::cli
