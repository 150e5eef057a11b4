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

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

struct Client::State {
  CURL* handle = nullptr;
  std::string user_agent;

  ~State() {
    if (handle != nullptr) curl_easy_cleanup(handle);
  }
};

Client::Client(ClientOptions options) : state_(std::make_unique<State>()) {
  detail::global_init_once();
  state_->handle = curl_easy_init();
  if (state_->handle == nullptr) std::abort();  // out of memory
  state_->user_agent = std::move(options.user_agent);
}

Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Result<Response> Client::perform(const Request& request) {
  return stream(request, nullptr);
}

Result<Response> Client::stream(const Request& request, const ChunkHandler& on_chunk) {
  CF_TRY(detail::check_user_agent(request, state_->user_agent));
  detail::Transfer transfer(state_->handle, request, state_->user_agent, on_chunk);
  auto result = transfer.run();
  if (!result) return result.error().wrap(detail::describe(request));
  return result;
}

}  // namespace cf::http
