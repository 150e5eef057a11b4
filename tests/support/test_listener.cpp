#include "support/test_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <utility>

namespace cf::test {

TestListener::TestListener(ConnectionHandler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("test server: bind failed on 127.0.0.1");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  start();
}

TestListener::TestListener(const std::string& unix_path, ConnectionHandler handler)
    : handler_(std::move(handler)), unix_path_(unix_path) {
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (unix_path_.size() >= sizeof addr.sun_path) throw std::runtime_error("socket path too long: " + unix_path_);
  std::memcpy(addr.sun_path, unix_path_.c_str(), unix_path_.size() + 1);
  ::unlink(unix_path_.c_str());
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("test server: bind failed on " + unix_path_);
  }
  start();
}

void TestListener::start() {
  if (::listen(listen_fd_, 16) != 0 || ::pipe(stop_pipe_) != 0) {
    throw std::runtime_error("test server: listen failed");
  }
  thread_ = std::thread([this] { serve(); });
}

TestListener::~TestListener() {
  char byte = 'x';
  (void)!::write(stop_pipe_[1], &byte, 1);
  thread_.join();
  ::close(listen_fd_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
  if (!unix_path_.empty()) ::unlink(unix_path_.c_str());
}

bool TestListener::wait_readable(int fd, int timeout_ms) const {
  pollfd fds[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
  int n = ::poll(fds, 2, timeout_ms);
  return n > 0 && (fds[1].revents & POLLIN) == 0 && (fds[0].revents & (POLLIN | POLLHUP)) != 0;
}

bool TestListener::pause(std::chrono::milliseconds d) const {
  pollfd stop{stop_pipe_[0], POLLIN, 0};
  return ::poll(&stop, 1, static_cast<int>(d.count())) == 0;
}

void TestListener::serve() {
  while (wait_readable(listen_fd_, -1)) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    handler_(fd);
    ::close(fd);
  }
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace cf::test
