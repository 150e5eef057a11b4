// Named loggers, one per component, named as in ipfs-cluster ("config", "ipfshttp", "crdt",
// "pintracker", "cluster", ...), so that log lines and user reports map one to one.
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace cf::log {

// The logger for a component; created on first use, writing to stderr.
std::shared_ptr<spdlog::logger> get(const std::string& component);

// Parses "trace|debug|info|warn|error|critical|off"; false when the name is unknown.
bool set_level(const std::string& level);

// Under systemd (JOURNAL_STREAM set) the journal adds its own timestamps, so lines drop theirs.
void configure_for_environment();

}  // namespace cf::log
