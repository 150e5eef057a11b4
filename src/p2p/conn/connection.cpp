// The connection's coroutines and event dispatch (see cf/p2p/conn/connection.hpp).
#include "cf/p2p/conn/connection.hpp"
#include "cf/p2p/yamux/errc.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include <asio/write.hpp>

#include "cf/base/log.hpp"
#include "stream_state.hpp"

namespace cf::p2p {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::shared_ptr<spdlog::logger> logger() { return log::get("p2p"); }

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::vector<std::string> ProtocolRouter::protocols() const {
  std::vector<std::string> out;
  for (const auto& [id, handler] : handlers) out.push_back(id);
  return out;
}

std::shared_ptr<Connection> Connection::create(Upgraded upgraded, std::shared_ptr<ProtocolRouter> router) {
  return std::shared_ptr<Connection>(new Connection(std::move(upgraded), std::move(router)));
}

Connection::Connection(Upgraded up, std::shared_ptr<ProtocolRouter> router)
    : socket_(std::move(up.socket)),
      pnet_out_(std::move(up.pnet_out)),
      pnet_in_(std::move(up.pnet_in)),
      channel_(std::move(*up.channel)),
      session_(up.outbound ? yamux::Role::client : yamux::Role::server),
      initial_(std::move(up.plaintext)),
      remote_(std::move(*up.remote)),
      remote_addr_(std::move(up.remote_addr)),
      local_addr_(std::move(up.local_addr)),
      outbound_(up.outbound),
      router_(std::move(router)),
      write_signal_(socket_.get_executor()),
      tick_signal_(socket_.get_executor()),
      tasks_(socket_.get_executor(), logger()) {}

Connection::~Connection() = default;

void Connection::start() {
  tasks_.spawn(read_loop(), "reader");
  tasks_.spawn(write_loop(), "writer", TaskSet::Cancel::no);
  tasks_.spawn(tick_loop(), "ticker");
}

void Connection::close() {
  if (closing_) return;
  session_.go_away(yamux::go_away_normal);
  shutdown(Error(errc::connection_closed, "closed locally"));
}

Task<void> Connection::wait_closed() {
  auto self = shared_from_this();
  co_await tasks_.wait_idle();
}

void Connection::shutdown(Error reason) {
  if (closing_) return;
  closing_ = true;
  logger()->info("connection to {} ({}) closed: {}", remote_.to_string(), remote_addr_.to_string(),
                 reason.message());
  close_reason_ = reason;
  for (auto& [id, weak] : streams_) {
    if (auto state = weak.lock()) {
      state->reset = true;
      state->reset_error = reason;
      state->readable.notify();
      state->writable.notify();
    }
  }
  streams_.clear();
  tasks_.cancel();
  write_signal_.notify();
  tick_signal_.notify();
}

Task<void> Connection::read_loop() {
  auto self = shared_from_this();
  if (!initial_.empty()) {
    auto first = std::move(initial_);
    if (auto s = session_.feed(first, Clock::now()); s || session_.is_closed()) dispatch_events();
    flush();
  }
  std::array<std::uint8_t, 64 * 1024> buf;
  while (!closing_) {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buf), use_tuple);
    if (closing_) break;
    if (ec) {
      shutdown(Error(errc::connection_closed, "read: " + ec.message()));
      break;
    }
    if (auto s = on_wire(ByteView(buf.data(), n)); !s) {
      shutdown(s.error());
      break;
    }
    dispatch_events();
    flush();
  }
}

Status Connection::on_wire(ByteView wire) {
  Bytes opened;
  if (pnet_in_) {
    opened = pnet_in_->open(wire);
    wire = opened;
  }
  auto plain = channel_.feed(wire);
  if (!plain) return plain.error().wrap("noise");
  // A session error is reported as a SessionError event, handled by dispatch_events.
  (void)session_.feed(*plain, Clock::now());
  return ok();
}

Task<Status> Connection::write_wire(ByteView wire) {
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(wire.data(), wire.size()), use_tuple);
  if (ec) co_return Error(errc::connection_closed, "write: " + ec.message());
  co_return ok();
}

Task<void> Connection::write_loop() {
  auto self = shared_from_this();
  // Reused for every write: a bulk transfer allocates (and page-faults) nothing once warm.
  Bytes plain, wire, sealed;
  for (;;) {
    if (session_.has_output()) {
      session_.take_output(plain);
      wire.clear();
      if (auto s = channel_.encrypt(plain, wire); !s) {
        shutdown(s.error().wrap("noise"));
        break;
      }
      ByteView out = wire;
      if (pnet_out_) {
        sealed.clear();
        pnet_out_->seal(wire, sealed);
        out = sealed;
      }
      auto written = co_await with_timeout(write_wire(out), 10s, "write");
      if (!written) {
        shutdown(written.error());
        break;
      }
      continue;
    }
    if (closing_) break;
    co_await write_signal_.wait();
  }
  asio::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

Task<void> Connection::tick_loop() {
  auto self = shared_from_this();
  while (!closing_) {
    (void)session_.on_tick(Clock::now());
    dispatch_events();
    flush();
    if (closing_) break;
    auto next = session_.next_deadline().value_or(Clock::now() + 30s);
    next = std::max(next, Clock::now() + 10ms);
    co_await tick_signal_.wait_until(next);
    if (co_await stop_requested()) break;
  }
}

std::shared_ptr<detail::StreamState> Connection::add_stream(yamux::StreamId id) {
  auto state = std::make_shared<detail::StreamState>(socket_.get_executor(), id);
  streams_[id] = state;
  return state;
}

void Connection::on_stream_opened(yamux::StreamId id) {
  auto state = add_stream(id);
  tasks_.spawn(serve_inbound(Stream(shared_from_this(), state)), "inbound stream");
}

void Connection::on_readable(yamux::StreamId id, bool fin) {
  auto it = streams_.find(id);
  auto state = it == streams_.end() ? nullptr : it->second.lock();
  if (!state) {
    // Nobody reads this stream any more: discard, so that a finished stream is removed.
    (void)session_.read(id, std::size_t(-1));
    return;
  }
  if (fin) state->remote_fin = true;
  state->readable.notify();
}

void Connection::dispatch_events() {
  while (auto event = session_.next_event()) {
    std::visit(Overloaded{
                   [&](const yamux::StreamOpened& e) { on_stream_opened(e.stream); },
                   [&](const yamux::DataAvailable& e) { on_readable(e.stream, false); },
                   [&](const yamux::StreamFinished& e) { on_readable(e.stream, true); },
                   [&](const yamux::StreamReset& e) {
                     auto it = streams_.find(e.stream);
                     if (it == streams_.end()) return;
                     if (auto state = it->second.lock()) {
                       state->reset = true;
                       std::string detail = "stream reset";
                       detail += e.by_peer ? " by peer, code " + std::to_string(e.code) : ": " + e.error.message();
                       state->reset_error = Error(errc::stream_reset, detail);
                       state->readable.notify();
                       state->writable.notify();
                     }
                     streams_.erase(it);
                   },
                   [&](const yamux::WindowAvailable& e) {
                     auto it = streams_.find(e.stream);
                     if (it == streams_.end()) return;
                     if (auto state = it->second.lock()) state->writable.notify();
                   },
                   [&](const yamux::GoAwayReceived& e) {
                     std::string detail = "peer sent GoAway, code ";
                     detail += std::to_string(e.code);
                     shutdown(Error(yamux::errc::remote_go_away, detail));
                   },
                   [&](const yamux::SessionError& e) { shutdown(e.error); },
                   [&](const auto&) {},
               },
               *event);
  }
}

}  // namespace cf::p2p
