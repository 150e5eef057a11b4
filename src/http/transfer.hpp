// One libcurl transfer: sets the handle up from a Request, collects headers, trailers and body,
// and maps curl's result onto http::errc. Private to the http layer. Used two ways with the
// same configuration: run() drives it with curl_easy_perform (Client), or start() sets the
// handle up for a curl multi handle and finish() reads the outcome (TransferRunner).
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <stop_token>
#include <string>

#include "cf/base/result.hpp"
#include "cf/http/client.hpp"

namespace cf::http::detail {

class Transfer {
 public:
  Transfer(CURL* handle, const Request& request, const std::string& user_agent,
           const ChunkHandler& on_chunk, std::stop_token cancel);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Blocking: start(), curl_easy_perform, finish().
  Result<Response> run();
  // Configures the handle; the caller then performs it (curl_easy_perform or a multi handle).
  Status start();
  // The outcome once curl has finished the handle with `code`.
  Result<Response> finish(CURLcode code);
  // True (and the outcome becomes errc::stalled) once nothing has arrived for the request's
  // idle_timeout. For a multi handle, whose progress callbacks are not guaranteed to run while
  // a transfer is silent.
  bool idle_expired(std::chrono::steady_clock::time_point now);

 private:
  static size_t on_header(char* data, size_t size, size_t count, void* self);
  static size_t on_body(char* data, size_t size, size_t count, void* self);
  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
  void header_line(std::string_view line);
  bool body_bytes(std::string_view bytes);

  Status configure();
  Status configure_target();
  void configure_auth();
  Error map_error(CURLcode code) const;
  bool from_https() const;  // the request's URL (not a redirect's) is https

  CURL* handle_;
  const Request& request_;
  const std::string& user_agent_;
  const ChunkHandler& on_chunk_;
  curl_slist* header_list_ = nullptr;
  char error_buffer_[CURL_ERROR_SIZE] = {};
  Response response_;
  bool headers_done_ = false;  // a blank line ended the header block: next lines are trailers
  std::size_t received_ = 0;
  bool over_limit_ = false;
  bool aborted_ = false;
  std::chrono::steady_clock::time_point last_data_;  // for Request::idle_timeout
  bool stalled_ = false;
  std::stop_token cancel_;  // the Client's; stop requested: end the transfer (errc::cancelled)
  bool cancelled_ = false;
};

// curl_global_init, once per process, before any handle exists.
void global_init_once();

// "POST <url> (unix socket <path>)", the context every transfer error is wrapped in.
std::string describe(const Request& request);

// Kubo refuses (400) a User-Agent naming its own clients; refused before sending.
Status check_user_agent(const Request& request, const std::string& user_agent);

}  // namespace cf::http::detail
