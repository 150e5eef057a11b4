#include "fake_stream_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace cf::kubo::test {
namespace {

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

FakeStreamServer::FakeStreamServer(StreamScript script) : script_(std::move(script)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 8) != 0 || ::pipe(stop_pipe_) != 0) {
    throw std::runtime_error("fake stream server: cannot listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakeStreamServer::~FakeStreamServer() {
  char byte = 'x';
  (void)!::write(stop_pipe_[1], &byte, 1);
  thread_.join();
  ::close(listen_fd_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
}

std::string FakeStreamServer::last_target() const {
  std::lock_guard lock(mutex_);
  return last_target_;
}

bool FakeStreamServer::pause(std::chrono::milliseconds d) const {
  pollfd stop{stop_pipe_[0], POLLIN, 0};
  return ::poll(&stop, 1, static_cast<int>(d.count())) == 0;
}

bool FakeStreamServer::send_chunk(int fd, const std::string& data) const {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return send_all(fd, size + data + "\r\n");
}

void FakeStreamServer::serve() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) <= 0 || (fds[1].revents & POLLIN) != 0) return;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    handle(fd);
    ::close(fd);
  }
}

void FakeStreamServer::handle(int fd) {
  std::string head;
  char buf[4096];
  while (head.find("\r\n\r\n") == std::string::npos) {
    pollfd p[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(p, 2, 5000) <= 0 || (p[1].revents & POLLIN) != 0) return;
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
    alive = pause(script_.interval) && send_chunk(fd, script_.chunks[i]);
  }
  using End = StreamScript::End;
  if (script_.end == End::repeat_last && !script_.chunks.empty()) {
    while (alive) alive = pause(script_.interval) && send_chunk(fd, script_.chunks.back());
  } else if (script_.end == End::hold) {
    while (alive) {  // until the client closes or the server stops
      pollfd p[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
      alive = ::poll(p, 2, -1) > 0 && (p[1].revents & POLLIN) == 0 && ::recv(fd, buf, sizeof buf, 0) > 0;
    }
  } else if (alive) {
    std::string tail = "0\r\n";
    for (const auto& [k, v] : script_.trailers) tail += k + ": " + v + "\r\n";
    send_all(fd, tail + "\r\n");
    ::shutdown(fd, SHUT_WR);
  }
}

}  // namespace cf::kubo::test
