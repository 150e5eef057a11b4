#include "support/http_test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace cf::test {
namespace {

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

HttpRequest parse_head(const std::string& head) {
  HttpRequest req;
  auto line_end = head.find("\r\n");
  auto first = head.substr(0, line_end);
  auto sp1 = first.find(' ');
  auto sp2 = first.find(' ', sp1 + 1);
  req.method = first.substr(0, sp1);
  req.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  auto pos = line_end + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string::npos || end == pos) break;
    auto line = head.substr(pos, end - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      auto value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      req.headers.emplace_back(line.substr(0, colon), value);
    }
    pos = end + 2;
  }
  return req;
}

}  // namespace

std::string HttpRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (lower(k) == lower(name)) return v;
  }
  return {};
}

HttpReply make_reply(int status, std::string_view body, std::string_view content_type,
                     const ExtraHeaders& headers) {
  std::string raw = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  raw += "Content-Type: " + std::string(content_type) + "\r\n";
  raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& [k, v] : headers) raw += k + ": " + v + "\r\n";
  raw += "Connection: close\r\n\r\n";
  raw += body;
  HttpReply reply;
  reply.raw = std::move(raw);
  return reply;
}

HttpReply make_chunked_reply(int status, const std::vector<std::string>& chunks,
                             const ExtraHeaders& trailers, std::string_view content_type) {
  std::string raw = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  raw += "Content-Type: " + std::string(content_type) + "\r\n";
  raw += "Transfer-Encoding: chunked\r\n";
  for (const auto& [k, v] : trailers) raw += "Trailer: " + k + "\r\n";
  raw += "Connection: close\r\n\r\n";
  char size[32];
  for (const auto& c : chunks) {
    std::snprintf(size, sizeof size, "%zx\r\n", c.size());
    raw += size + c + "\r\n";
  }
  raw += "0\r\n";
  for (const auto& [k, v] : trailers) raw += k + ": " + v + "\r\n";
  raw += "\r\n";
  HttpReply reply;
  reply.raw = std::move(raw);
  return reply;
}

HttpReply make_endless_reply(std::string_view chunk, std::string_view content_type) {
  HttpReply reply;
  reply.raw = "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(content_type) +
              "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  reply.repeat = size + std::string(chunk) + "\r\n";
  return reply;
}

HttpTestServer::HttpTestServer(HttpHandler handler)
    : handler_(std::move(handler)), listener_([this](int fd) { handle(fd); }) {}

HttpTestServer::HttpTestServer(std::string unix_path, HttpHandler handler)
    : handler_(std::move(handler)), listener_(unix_path, [this](int fd) { handle(fd); }) {}

HttpTestServer::~HttpTestServer() = default;  // listener_ goes first, stopping its thread

std::string HttpTestServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
}

void HttpTestServer::handle(int fd) {
  std::string data;
  char buf[4096];
  std::size_t head_end;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
    if (!listener_.wait_readable(fd, 5000)) return;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    data.append(buf, static_cast<std::size_t>(n));
  }
  auto req = parse_head(data.substr(0, head_end + 2));
  auto length = std::strtoul(req.header("Content-Length").c_str(), nullptr, 10);
  req.body = data.substr(head_end + 4);
  while (req.body.size() < length) {
    if (!listener_.wait_readable(fd, 5000)) return;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    req.body.append(buf, static_cast<std::size_t>(n));
  }
  ++requests_;
  auto reply = handler_(req);
  if (reply.hang) {
    // Read and drop until the client gives up or the server stops.
    while (listener_.wait_readable(fd, -1) && ::recv(fd, buf, sizeof buf, 0) > 0) {
    }
    return;
  }
  if (reply.delay.count() > 0 && !listener_.pause(reply.delay)) return;
  bool sent = send_all(fd, reply.raw);  // a client that went away is no failure of a test server
  while (sent && !reply.repeat.empty() && listener_.pause(std::chrono::milliseconds(5))) {
    sent = send_all(fd, reply.repeat);
  }
  ::shutdown(fd, SHUT_WR);
}

ClosedPort::ClosedPort() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

ClosedPort::~ClosedPort() { ::close(fd_); }

}  // namespace cf::test
