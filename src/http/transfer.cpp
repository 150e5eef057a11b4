#include "transfer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>
#include <string_view>

namespace cf::http::detail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Scheme and host of a URL, through curl's own parser so that we agree with the transfer.
struct UrlParts {
  std::string scheme;
  std::string host;
};

Result<UrlParts> parse_url(const std::string& url) {
  CURLU* u = curl_url();
  if (u == nullptr) return Error(errc::invalid_request, "out of memory");
  UrlParts parts;
  bool ok = curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK;
  for (auto [part, out] : {std::pair{CURLUPART_SCHEME, &parts.scheme},
                           std::pair{CURLUPART_HOST, &parts.host}}) {
    char* value = nullptr;
    if (ok && curl_url_get(u, part, &value, 0) == CURLUE_OK) {
      *out = value;
      curl_free(value);
    } else {
      ok = false;
    }
  }
  curl_url_cleanup(u);
  if (!ok) return Error(errc::invalid_request, "not a valid URL");
  if (parts.scheme != "http" && parts.scheme != "https") {
    return Error(errc::invalid_request, "unsupported scheme \"" + parts.scheme + "\"");
  }
  return parts;
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" || host == "::1";
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// curl_global_init is not thread-safe and must run once per process before any handle exists.
void global_init_once() {
  static std::once_flag flag;
  std::call_once(flag, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) std::abort();  // no TLS, no network
  });
}

std::string describe(const Request& request) {
  auto text = std::string(request.method == Method::post ? "POST" : "GET") + " " + request.url;
  if (!request.unix_socket.empty()) text += " (unix socket " + request.unix_socket + ")";
  return text;
}

// Kubo rejects (400) any User-Agent naming its own clients unless it is exactly its version.
Status check_user_agent(const Request& request, const std::string& user_agent) {
  auto l = lower(user_agent);
  if (l.find("/kubo/") == std::string::npos && l.find("/go-ipfs/") == std::string::npos) return ok();
  return Error(errc::invalid_request, describe(request) + ": User-Agent \"" + user_agent +
                                          "\" names a Kubo client; Kubo would refuse it");
}

Transfer::Transfer(CURL* handle, const Request& request, const std::string& user_agent,
                   const ChunkHandler& on_chunk, std::stop_token cancel)
    : handle_(handle), request_(request), user_agent_(user_agent), on_chunk_(on_chunk), cancel_(std::move(cancel)) {}

Transfer::~Transfer() {
  // The handle outlives us (it keeps the connection cache): drop pointers into this object.
  curl_easy_reset(handle_);
  curl_slist_free_all(header_list_);
}

Result<Response> Transfer::run() {
  if (cancel_.stop_requested()) return Error(errc::cancelled, "cancelled (shutting down)");
  CF_TRY(start());
  return finish(curl_easy_perform(handle_));
}

Status Transfer::start() {
  CF_TRY(configure());
  last_data_ = std::chrono::steady_clock::now();
  return ok();
}

bool Transfer::idle_expired(std::chrono::steady_clock::time_point now) {
  if (request_.idle_timeout.count() <= 0 || now - last_data_ < request_.idle_timeout) return false;
  stalled_ = true;
  return true;
}

Result<Response> Transfer::finish(CURLcode code) {
  if (code != CURLE_OK) return map_error(code);
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &response_.status);
  char* effective = nullptr;
  if (curl_easy_getinfo(handle_, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective) {
    response_.effective_url = effective;
  }
  return std::move(response_);
}

Status Transfer::configure() {
  curl_easy_reset(handle_);
  CF_TRY(configure_target());
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);  // we run on worker threads
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(handle_, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, "http,https");
  // An https request never follows a redirect to plain http: the downgrade would expose what
  // TLS protected (and let anyone on the path answer in the server's name).
  curl_easy_setopt(handle_, CURLOPT_REDIR_PROTOCOLS_STR, from_https() ? "https" : "http,https");
  if (!request_.ca_file.empty()) curl_easy_setopt(handle_, CURLOPT_CAINFO, request_.ca_file.c_str());
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(request_.timeout.count()));
  curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request_.connect_timeout.count()));
  curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(handle_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, this);
  if (request_.idle_timeout.count() > 0 || cancel_.stop_possible()) {
    // curl calls this on every pass of its loop, at least about once a second while idle.
    curl_easy_setopt(handle_, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle_, CURLOPT_XFERINFOFUNCTION, &Transfer::on_progress);
    curl_easy_setopt(handle_, CURLOPT_XFERINFODATA, this);
  }
  if (request_.max_body > 0) {
    // Fails early when Content-Length already says too much; on_body catches the rest.
    curl_easy_setopt(handle_, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(request_.max_body));
  }
  if (request_.method == Method::post) {
    curl_easy_setopt(handle_, CURLOPT_POST, 1L);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request_.body.size()));
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, request_.body.data());
  } else {
    curl_easy_setopt(handle_, CURLOPT_HTTPGET, 1L);
    if (request_.max_redirects > 0) {
      curl_easy_setopt(handle_, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(handle_, CURLOPT_MAXREDIRS, static_cast<long>(request_.max_redirects));
    }
  }
  // "Expect:" with no value stops curl from waiting for a 100-continue on larger POSTs.
  header_list_ = curl_slist_append(header_list_, "Expect:");
  for (const auto& h : request_.headers) {
    header_list_ = curl_slist_append(header_list_, (h.name + ": " + h.value).c_str());
  }
  curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, header_list_);
  configure_auth();
  return ok();
}

Status Transfer::configure_target() {
  CF_TRY_ASSIGN(parts, parse_url(request_.url));
  curl_easy_setopt(handle_, CURLOPT_URL, request_.url.c_str());
  if (!request_.unix_socket.empty()) {
    curl_easy_setopt(handle_, CURLOPT_UNIX_SOCKET_PATH, request_.unix_socket.c_str());
  }
  // An empty proxy string disables proxies, including the environment's.
  if (!request_.use_env_proxy || !request_.unix_socket.empty() || is_loopback_host(parts.host)) {
    curl_easy_setopt(handle_, CURLOPT_PROXY, "");
  }
  return ok();
}

void Transfer::configure_auth() {
  if (const auto* basic = std::get_if<BasicAuth>(&request_.auth)) {
    curl_easy_setopt(handle_, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(handle_, CURLOPT_USERNAME, basic->user.c_str());
    curl_easy_setopt(handle_, CURLOPT_PASSWORD, basic->password.c_str());
  } else if (const auto* bearer = std::get_if<BearerAuth>(&request_.auth)) {
    curl_easy_setopt(handle_, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BEARER));
    curl_easy_setopt(handle_, CURLOPT_XOAUTH2_BEARER, bearer->token.c_str());
  }
}

size_t Transfer::on_header(char* data, size_t size, size_t count, void* self) {
  static_cast<Transfer*>(self)->header_line(std::string_view(data, size * count));
  return size * count;
}

// curl calls this once per header line of every response it reads (redirects, 100 Continue,
// the final one), and once per chunked trailer line after the body.
void Transfer::header_line(std::string_view line) {
  last_data_ = std::chrono::steady_clock::now();
  if (line.starts_with("HTTP/")) {  // a new response begins
    response_.headers.clear();
    response_.trailers.clear();
    headers_done_ = false;
    auto space = line.find(' ');
    if (space != std::string_view::npos) {
      response_.status = std::strtol(std::string(line.substr(space + 1, 3)).c_str(), nullptr, 10);
    }
    return;
  }
  auto content = trim(line);
  if (content.empty()) {
    headers_done_ = true;
    return;
  }
  auto colon = content.find(':');
  if (colon == std::string_view::npos) return;  // not a header line; nothing to keep
  Header h{std::string(trim(content.substr(0, colon))), std::string(trim(content.substr(colon + 1)))};
  (headers_done_ ? response_.trailers : response_.headers).push_back(std::move(h));
}

size_t Transfer::on_body(char* data, size_t size, size_t count, void* self) {
  auto n = size * count;
  return static_cast<Transfer*>(self)->body_bytes(std::string_view(data, n)) ? n : 0;
}

bool Transfer::body_bytes(std::string_view bytes) {
  if (cancel_.stop_requested()) {
    cancelled_ = true;
    return false;
  }
  last_data_ = std::chrono::steady_clock::now();
  received_ += bytes.size();
  if (request_.max_body > 0 && received_ > request_.max_body) {
    over_limit_ = true;
    return false;
  }
  if (on_chunk_) {
    if (!on_chunk_(response_, bytes)) {
      aborted_ = true;
      return false;
    }
    return true;
  }
  response_.body.append(bytes);
  return true;
}

int Transfer::on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(self);
  if (t->cancel_.stop_requested()) {
    t->cancelled_ = true;
    return 1;  // non-zero stops the transfer with CURLE_ABORTED_BY_CALLBACK
  }
  if (t->request_.idle_timeout.count() <= 0 ||
      std::chrono::steady_clock::now() - t->last_data_ < t->request_.idle_timeout) {
    return 0;
  }
  t->stalled_ = true;
  return 1;  // non-zero stops the transfer with CURLE_ABORTED_BY_CALLBACK
}

bool Transfer::from_https() const {
  const std::string_view url(request_.url);
  return url.size() >= 8 && std::equal(url.begin(), url.begin() + 8, "https://", [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

Error Transfer::map_error(CURLcode code) const {
  std::string why = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(code);
  // "connection failed (Failed to connect to 127.0.0.1 port 1 ...)": our kind, curl's words.
  auto error = [&](errc e, const std::string& detail = {}) {
    return Error(e, make_error_code(e).message() + " (" + (detail.empty() ? why : detail) + ")");
  };
  auto cap = "body exceeds " + std::to_string(request_.max_body) + " bytes";
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return error(errc::resolve_failed);
    case CURLE_COULDNT_CONNECT: return error(errc::connect_failed);
    case CURLE_OPERATION_TIMEDOUT: return error(errc::timed_out);
    case CURLE_FILESIZE_EXCEEDED: return error(errc::too_large, cap);
    case CURLE_TOO_MANY_REDIRECTS: return error(errc::too_many_redirects);
    case CURLE_UNSUPPORTED_PROTOCOL:
      if (from_https()) return error(errc::invalid_request, "refused to follow a redirect from https to " + why);
      return error(errc::invalid_request);
    case CURLE_URL_MALFORMAT: return error(errc::invalid_request);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE: return error(errc::tls_failed);
    case CURLE_ABORTED_BY_CALLBACK:
      if (cancelled_) return error(errc::cancelled, "shutting down");
      if (stalled_) {
        return error(errc::stalled, "nothing received for " +
                                        std::to_string(request_.idle_timeout.count()) + " ms");
      }
      return error(errc::transport_failed);
    case CURLE_WRITE_ERROR:
      if (cancelled_) return error(errc::cancelled, "shutting down");
      if (over_limit_) return error(errc::too_large, cap);
      if (aborted_) return error(errc::aborted, "stopped by the receiver");
      return error(errc::transport_failed);
    default: return error(errc::transport_failed);
  }
}

}  // namespace cf::http::detail
