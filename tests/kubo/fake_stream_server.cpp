#include "fake_stream_server.hpp"

#include <sys/socket.h>

#include <cstdio>

namespace cf::kubo::test {

using cf::test::send_all;

FakeStreamServer::FakeStreamServer(StreamScript script)
    : script_(std::move(script)), listener_([this](int fd) { handle(fd); }) {}

FakeStreamServer::~FakeStreamServer() = default;  // listener_ goes first, stopping its thread

std::string FakeStreamServer::last_target() const {
  std::lock_guard lock(mutex_);
  return last_target_;
}

bool FakeStreamServer::send_chunk(int fd, const std::string& data) const {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return send_all(fd, size + data + "\r\n");
}

void FakeStreamServer::handle(int fd) {
  std::string head;
  char buf[4096];
  while (head.find("\r\n\r\n") == std::string::npos) {
    if (!listener_.wait_readable(fd, 5000)) return;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    head.append(buf, static_cast<std::size_t>(n));
  }
  {
    auto first = head.substr(0, head.find("\r\n"));
    auto sp1 = first.find(' ');
    std::lock_guard lock(mutex_);
    last_target_ = first.substr(sp1 + 1, first.rfind(' ') - sp1 - 1);
  }
  std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "X-Chunked-Output: 1\r\nTrailer: X-Stream-Error\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n";
  bool alive = send_all(fd, reply);
  for (std::size_t i = 0; alive && i < script_.chunks.size(); ++i) {
    alive = listener_.pause(script_.interval) && send_chunk(fd, script_.chunks[i]);
  }
  using End = StreamScript::End;
  if (script_.end == End::repeat_last && !script_.chunks.empty()) {
    while (alive) alive = listener_.pause(script_.interval) && send_chunk(fd, script_.chunks.back());
  } else if (script_.end == End::hold) {
    while (alive) {  // until the client closes or the server stops
      alive = listener_.wait_readable(fd, -1) && ::recv(fd, buf, sizeof buf, 0) > 0;
    }
  } else if (alive) {
    std::string tail = "0\r\n";
    for (const auto& [k, v] : script_.trailers) tail += k + ": " + v + "\r\n";
    (void)send_all(fd, tail + "\r\n");
    ::shutdown(fd, SHUT_WR);
  }
}

}  // namespace cf::kubo::test
