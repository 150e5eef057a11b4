#include "support/slow_stream_server.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>

namespace cf::test {
namespace {

using asio::ip::tcp;
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

std::string chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

}  // namespace

struct SlowStreamServer::Impl {
  std::string first, last;
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::size_t open = 0, max_open = 0, accepted = 0;
  bool released = false;  // io thread only
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  asio::steady_timer release_timer{io, asio::steady_timer::time_point::max()};  // cancelled = released
  std::thread thread;

  void count(int delta) {
    std::lock_guard lock(mutex);
    if (delta > 0) ++accepted;
    open = static_cast<std::size_t>(static_cast<long>(open) + delta);
    max_open = std::max(max_open, open);
    changed.notify_all();
  }

  asio::awaitable<void> accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
      if (ec) co_return;
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    using namespace asio::experimental::awaitable_operators;
    count(+1);
    struct Closed {
      Impl* self;
      ~Closed() { self->count(-1); }
    } closed{this};
    std::string head;
    auto [read_ec, n] = co_await asio::async_read_until(socket, asio::dynamic_buffer(head), "\r\n\r\n", use_tuple);
    if (read_ec) co_return;
    std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTrailer: X-Stream-Error\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n" + chunk(first);
    if (auto [ec, w] = co_await asio::async_write(socket, asio::buffer(reply), use_tuple); ec) co_return;
    if (!released) {
      char byte;
      // Whichever comes first: the release, or the client going away (or sending anything).
      auto winner = co_await (release_timer.async_wait(use_tuple) ||
                              socket.async_read_some(asio::buffer(&byte, 1), use_tuple));
      if (winner.index() == 1) co_return;
    }
    std::string tail = chunk(last) + "0\r\n\r\n";
    co_await asio::async_write(socket, asio::buffer(tail), use_tuple);
    socket.shutdown(tcp::socket::shutdown_send);
    // Until the client closes.
    char byte;
    co_await socket.async_read_some(asio::buffer(&byte, 1), use_tuple);
  }
};

SlowStreamServer::SlowStreamServer(std::string first, std::string last) : impl_(std::make_unique<Impl>()) {
  impl_->first = std::move(first);
  impl_->last = std::move(last);
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(impl_->io, impl_->accept(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

SlowStreamServer::~SlowStreamServer() {
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t SlowStreamServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void SlowStreamServer::release() {
  asio::post(impl_->io, [impl = impl_.get()] {
    impl->released = true;
    impl->release_timer.cancel();
  });
}

std::size_t SlowStreamServer::open() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->open;
}

std::size_t SlowStreamServer::max_open() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->max_open;
}

std::size_t SlowStreamServer::accepted() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->accepted;
}

bool SlowStreamServer::wait_open(std::size_t n, std::chrono::milliseconds timeout, bool at_least) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return at_least ? impl_->open >= n : impl_->open <= n; });
}

}  // namespace cf::test
