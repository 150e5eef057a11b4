#include "cf/base/log.hpp"

#include <cstdlib>
#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace cf::log {
namespace {

std::mutex registry_mutex;
spdlog::level::level_enum current_level = spdlog::level::info;
std::string current_pattern = "%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %n: %v";

}  // namespace

std::shared_ptr<spdlog::logger> get(const std::string& component) {
  std::lock_guard lock(registry_mutex);
  if (auto existing = spdlog::get(component)) return existing;
  auto logger = spdlog::stderr_color_mt(component);
  logger->set_level(current_level);
  logger->set_pattern(current_pattern);
  return logger;
}

bool set_level(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  // from_str maps unknown names to "off"; only accept "off" when it was asked for.
  if (parsed == spdlog::level::off && level != "off") return false;
  std::lock_guard lock(registry_mutex);
  current_level = parsed;
  spdlog::set_level(parsed);
  return true;
}

void configure_for_environment() {
  if (std::getenv("JOURNAL_STREAM") != nullptr) {
    std::lock_guard lock(registry_mutex);
    current_pattern = "%l %n: %v";
    spdlog::set_pattern(current_pattern);
  }
}

}  // namespace cf::log
