// One function per command. Each prints its own output and returns the process exit code:
// 0 success, 1 failure (the message names what failed); `status` has its own codes.
#pragma once

#include <string>
#include <vector>

namespace cf::cli {

enum class Command { none, info, init, run, list, status, doctor };

// Everything the per-cluster app parsed.
struct ClusterArgs {
  std::string name;
  std::string config_flag;
  Command command = Command::none;
  std::string init_source;
  std::string gateway;
  std::string identity_file;
  std::string run_init_url;
  std::string kubo_wait = "2m";
  std::string rest_api;  // run --rest-api
  std::string metrics;   // run --metrics host:port
  std::vector<std::string> status_filter;
  bool json = false;
  bool quiet = false;
  std::string max_lag;
  std::string show_help_after_info;  // bare `<name>`: info, then this help text
};

int list_clusters(const std::string& config_flag);
int dispatch(const ClusterArgs& args);

int info_command(const ClusterArgs& args);
int init_command(const ClusterArgs& args);
int run_command(const ClusterArgs& args);
int list_command(const ClusterArgs& args);
int status_command(const ClusterArgs& args);
int doctor_command(const ClusterArgs& args);

}  // namespace cf::cli
