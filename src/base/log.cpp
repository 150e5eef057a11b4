#include "cf/base/log.hpp"

#include <cstdlib>
#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "cf/base/printable.hpp"

namespace cf::log {
namespace {

std::mutex registry_mutex;
spdlog::level::level_enum current_level = spdlog::level::info;
// %* is the message made printable: log lines quote remote text (pin names, servers' and
// peers' errors, agent versions), and a control character in it must neither drive the
// operator's terminal nor start a fake line in the journal. One escape here covers every line.
std::string current_pattern = "%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %n: %*";

class PrintableMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const auto shown = printable(text, text.size());
    dest.append(shown.data(), shown.data() + shown.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<PrintableMessage>(); }
};

std::unique_ptr<spdlog::formatter> make_formatter(const std::string& pattern) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<PrintableMessage>('*').set_pattern(pattern);
  return formatter;
}

}  // namespace

std::shared_ptr<spdlog::logger> get(const std::string& component) {
  std::lock_guard lock(registry_mutex);
  if (auto existing = spdlog::get(component)) return existing;
  auto logger = spdlog::stderr_color_mt(component);
  logger->set_level(current_level);
  logger->set_formatter(make_formatter(current_pattern));
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
    current_pattern = "%l %n: %*";
    spdlog::set_formatter(make_formatter(current_pattern));
  }
}

}  // namespace cf::log
