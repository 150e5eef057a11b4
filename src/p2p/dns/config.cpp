// resolv.conf nameservers (see cf/p2p/dns/config.hpp).
#include "cf/p2p/dns/config.hpp"

#include <fstream>
#include <system_error>

namespace cf::p2p::dns {
namespace {

// resolv.conf(5) allows a file of any size; the part glibc reads is small.
constexpr std::size_t max_resolv_conf_bytes = 64 * 1024;

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

}  // namespace

Nameserver default_nameserver() { return Nameserver{asio::ip::make_address_v4("127.0.0.1"), 53}; }

std::string Nameserver::to_string() const {
  const auto ip = address.to_string();
  return (address.is_v6() ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

std::vector<Nameserver> parse_resolv_conf(std::string_view text) {
  std::vector<Nameserver> out;
  while (!text.empty() && out.size() < max_resolv_conf_nameservers) {
    const auto eol = text.find('\n');
    auto line = trim(text.substr(0, eol));
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    constexpr std::string_view keyword = "nameserver";
    if (!line.starts_with(keyword) || line.size() == keyword.size()) continue;
    if (line[keyword.size()] != ' ' && line[keyword.size()] != '\t') continue;
    auto value = trim(line.substr(keyword.size()));
    value = value.substr(0, value.find_first_of(" \t#;"));  // one address; the rest is ignored
    std::error_code ec;
    auto address = asio::ip::make_address(std::string(value), ec);
    if (!ec) out.push_back(Nameserver{address, 53});
  }
  return out;
}

std::vector<Nameserver> system_nameservers(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::string text;
  if (file) {
    text.resize(max_resolv_conf_bytes);
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(file.gcount()));
  }
  auto servers = parse_resolv_conf(text);
  if (servers.empty()) servers.push_back(default_nameserver());
  return servers;
}

Config system_config() {
  Config config;
  config.nameservers = system_nameservers();
  return config;
}

}  // namespace cf::p2p::dns
