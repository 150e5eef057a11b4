#include "cf/kubo/client.hpp"

#include <nlohmann/json.hpp>

#include "cf/base/log.hpp"

namespace cf::kubo {
namespace {

using Json = nlohmann::json;

constexpr std::size_t max_answer = 4 * 1024 * 1024;  // id and version are a few KiB

errc from_http(const Error& e) {
  if (e == http::errc::connect_failed || e == http::errc::resolve_failed) return errc::unreachable;
  if (e == http::errc::timed_out) return errc::timed_out;
  return errc::transport_failed;
}

// At most 300 printable characters of a plain-text answer, on one line.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 300)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (text.size() > 300) out += "...";
  return out;
}

// Kubo's command error {"Message": "...", "Code": n, "Type": "error"}, if the body is one.
std::optional<std::string> kubo_error_message(std::string_view body) {
  auto doc = Json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  auto it = doc.find("Message");
  if (it == doc.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::string string_field(const Json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {}

std::string Client::endpoint_text() const {
  if (!options_.endpoint.unix_socket.empty()) return "unix:" + options_.endpoint.unix_socket;
  return options_.endpoint.base_url;
}

Error Client::failure(std::string_view command, errc code, const std::string& why) const {
  return Error(code, "kubo " + endpoint_text() + " /api/v0/" + std::string(command) + ": " + why);
}

Result<std::string> Client::call(std::string_view command, std::string_view query) {
  http::Request req;
  req.method = http::Method::post;
  req.url = options_.endpoint.base_url + "/api/v0/" + std::string(command);
  if (!query.empty()) {
    req.url += '?';
    req.url += query;
  }
  req.unix_socket = options_.endpoint.unix_socket;
  req.auth = options_.auth;
  req.timeout = options_.timeout;
  req.connect_timeout = options_.connect_timeout;
  req.max_body = max_answer;
  req.use_env_proxy = false;  // Kubo is local; a proxy would only get in the way
  auto response = http_.perform(req);
  if (!response) {
    return failure(command, from_http(response.error()), response.error().message());
  }
  if (response->status == 200) {
    // A command that fails after the 200 was sent reports it in the trailer.
    if (auto trailer = response->trailer("X-Stream-Error"); trailer && !trailer->empty()) {
      return failure(command, errc::api_error, std::string(*trailer));
    }
    return std::move(response->body);
  }
  auto status = " (HTTP " + std::to_string(response->status) + ")";
  if (auto message = kubo_error_message(response->body)) {
    return failure(command, errc::api_error, *message + status);
  }
  auto text = one_line(response->body);
  return failure(command, errc::http_error, (text.empty() ? "empty answer" : text) + status);
}

Result<NodeInfo> Client::id() {
  CF_TRY_ASSIGN(body, call("id"));
  auto doc = Json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return failure("id", errc::bad_response, "not a JSON object: " + one_line(body));
  }
  auto peer = multiformats::PeerId::parse(string_field(doc, "ID"));
  if (!peer) return failure("id", errc::bad_response, "bad ID: " + peer.error().message());
  NodeInfo info{*peer, string_field(doc, "AgentVersion"), {}};
  if (auto it = doc.find("Addresses"); it != doc.end() && it->is_array()) {
    for (const auto& a : *it) {
      if (!a.is_string()) continue;
      auto addr = multiformats::Multiaddr::parse(a.get<std::string>());
      if (addr) {
        info.addresses.push_back(std::move(*addr));
      } else {
        // Newer transports than we know of: not a reason to fail the probe.
        log::get("ipfshttp")->debug("ignoring Kubo address: {}", addr.error().message());
      }
    }
  }
  return info;
}

Result<VersionInfo> Client::version() {
  CF_TRY_ASSIGN(body, call("version"));
  auto doc = Json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("Version")) {
    return failure("version", errc::bad_response, "not a version object: " + one_line(body));
  }
  return VersionInfo{string_field(doc, "Version"), string_field(doc, "Commit"),
                     string_field(doc, "Repo"), string_field(doc, "System"),
                     string_field(doc, "Golang")};
}

}  // namespace cf::kubo
