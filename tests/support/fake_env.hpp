// An environment for tests: a fixed map instead of the process's variables.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cf::test {

// Returns a getenv-like function over `vars`; nullopt for names not in the map.
inline auto fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace cf::test
