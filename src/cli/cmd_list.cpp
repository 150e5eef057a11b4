// `list`: the pinset and each pin's status, straight from state.db (daemon running or not).
// Text lines copy upstream's `%-20s %s %s` layout; --json prints NDJSON.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cf/cli/commands.hpp"
#include "cf/follower/status_view.hpp"
#include "output.hpp"

namespace cf::cli {
namespace {

void print_text(const follower::PinRow& row) {
  // Names and errors come from the cluster and from Kubo: escaped, so that a pin name cannot
  // move the cursor, recolour the screen or start a fake line.
  std::string name = row.error.empty() ? shown(row.name) : shown(row.name) + " (" + shown(row.error) + ")";
  std::cout << fmt::format("{:<20} {} {}\n", row.status, row.cid, name);
}

// JSON escapes control characters (\u001b); `replace` turns invalid UTF-8 from the cluster into
// U+FFFD instead of throwing.
void print_json(const follower::PinRow& row) {
  nlohmann::json j = {{"cid", row.cid}, {"status", row.status}, {"name", row.name}, {"attempts", row.attempts},
                      {"updated_at", row.updated_at}};
  if (!row.error.empty()) j["error"] = row.error;
  if (row.next_retry_at) j["next_retry_at"] = *row.next_retry_at;
  std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace

int list_command(const ClusterArgs& args) {
  auto root = follower::config_root(args.config_flag, follower::process_env());
  if (!root) return print_error(root.error());
  auto paths = follower::ClusterPaths::under(*root, args.name);
  if (auto readable = paths.check_access(); !readable) return print_error(readable.error());
  if (!paths.initialized()) {
    print_not_initialized(args.name);
    return 1;
  }
  std::ios::sync_with_stdio(false);
  auto listed = follower::for_each_pin(paths, args.status_filter, args.json ? print_json : print_text);
  std::cout.flush();
  if (!listed) return print_error(listed.error());
  return 0;
}

}  // namespace cf::cli
