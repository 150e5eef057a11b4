#include "cf/http/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "cf/base/version.hpp"
#include "transfer.hpp"

namespace cf::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

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
  detail::global_init_once();
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
  CF_TRY(detail::check_user_agent(request, state_->user_agent));
  detail::Transfer transfer(state_->handle, request, state_->user_agent, on_chunk, state_->cancel);
  auto result = transfer.run();
  if (!result) return result.error().wrap(detail::describe(request));
  return result;
}

}  // namespace cf::http
