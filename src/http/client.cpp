#include "cf/http/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>

#include "cf/base/version.hpp"
#include "transfer.hpp"

namespace cf::http {
namespace {

// curl_global_init is not thread-safe and must run once per process before any handle exists.
void global_init_once() {
  static std::once_flag flag;
  std::call_once(flag, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) std::abort();  // no TLS, no network
  });
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Kubo rejects (400) any User-Agent naming its own clients unless it is exactly its version.
bool forbidden_user_agent(std::string_view ua) {
  auto l = lower(ua);
  return l.find("/kubo/") != std::string::npos || l.find("/go-ipfs/") != std::string::npos;
}

const char* method_name(Method m) { return m == Method::post ? "POST" : "GET"; }

}  // namespace

std::string default_user_agent() { return "cluster-follow/" + std::string(cf::version); }

UrlCheck check_url(std::string_view url) {
  UrlCheck check;
  CURLU* u = curl_url();
  if (u == nullptr) std::abort();  // out of memory
  const std::string text(url);
  // Plain curl_url_set refuses what no transfer could use: "http://", "http://[::1", bad ports.
  const CURLUcode set = curl_url_set(u, CURLUPART_URL, text.c_str(), 0);
  auto present = [u](CURLUPart part) {
    char* value = nullptr;
    const bool found = curl_url_get(u, part, &value, 0) == CURLUE_OK;
    curl_free(value);
    return found;
  };
  if (set != CURLUE_OK) {
    check.problem = curl_url_strerror(set);
    // Unparsable, but the authority may still hold credentials: look for '@' before the path.
    const auto start = url.find("://");
    const auto authority = start == std::string_view::npos ? url : url.substr(start + 3);
    check.has_credentials = authority.substr(0, authority.find_first_of("/?#")).find('@') != std::string_view::npos;
  } else {
    char* scheme = nullptr;
    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
    const std::string s = scheme != nullptr ? scheme : "";
    curl_free(scheme);
    check.has_credentials = present(CURLUPART_USER) || present(CURLUPART_PASSWORD);
    check.valid = s == "http" || s == "https";
    if (!check.valid) check.problem = "the scheme is not http or https";
  }
  curl_url_cleanup(u);
  return check;
}

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

struct Client::State {
  CURL* handle = nullptr;
  std::string user_agent;
  std::stop_token cancel;

  ~State() {
    if (handle != nullptr) curl_easy_cleanup(handle);
  }
};

Client::Client(ClientOptions options) : state_(std::make_unique<State>()) {
  global_init_once();
  state_->handle = curl_easy_init();
  if (state_->handle == nullptr) std::abort();  // out of memory
  state_->user_agent = std::move(options.user_agent);
  state_->cancel = std::move(options.cancel);
}

Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Result<Response> Client::perform(const Request& request) {
  return stream(request, nullptr);
}

Result<Response> Client::stream(const Request& request, const ChunkHandler& on_chunk) {
  auto describe = std::string(method_name(request.method)) + " " + request.url;
  if (!request.unix_socket.empty()) describe += " (unix socket " + request.unix_socket + ")";
  if (forbidden_user_agent(state_->user_agent)) {
    return Error(errc::invalid_request,
                 describe + ": User-Agent \"" + state_->user_agent +
                     "\" names a Kubo client; Kubo would refuse it");
  }
  detail::Transfer transfer(state_->handle, request, state_->user_agent, on_chunk, state_->cancel);
  auto result = transfer.run();
  if (!result) return result.error().wrap(describe);
  return result;
}

}  // namespace cf::http
