// One libcurl transfer: sets the handle up from a Request, collects headers, trailers and body,
// and maps curl's result onto http::errc. Private to the http layer.
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

  Result<Response> run();

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

}  // namespace cf::http::detail
