// Streams: reads and writes over the session, and multistream-select on both ends.
#include "cf/p2p/conn/stream.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "cf/base/log.hpp"
#include "cf/p2p/conn/connection.hpp"
#include "cf/p2p/mss/dialer.hpp"
#include "cf/p2p/mss/listener.hpp"
#include "stream_state.hpp"

namespace cf::p2p {
namespace {

// Feeds a multistream negotiator (mss::Dialer or mss::Listener) from the stream until it
// selects; the bytes after the answer go to the stream's unread buffer.
template <typename Negotiator>
Task<Status> negotiate(Stream& stream, detail::StreamState& state, Negotiator& negotiator) {
  CF_CO_TRY(co_await stream.write(negotiator.start()));
  std::array<std::uint8_t, 2048> buf;
  for (;;) {
    CF_CO_TRY_ASSIGN(n, co_await stream.read(buf));
    if (n == 0) co_return Error(errc::unexpected_eof, "multistream: stream closed");
    CF_CO_TRY_ASSIGN(step, negotiator.on_bytes(ByteView(buf.data(), n)));
    if (!step.to_send.empty()) CF_CO_TRY(co_await stream.write(step.to_send));
    if (step.selected) {
      state.protocol = std::move(step.selected->protocol);
      state.unread = std::move(step.selected->leftover);
      state.unread_pos = 0;
      co_return ok();
    }
  }
}

}  // namespace

Stream::Stream(std::shared_ptr<Connection> connection, std::shared_ptr<detail::StreamState> state)
    : connection_(std::move(connection)), state_(std::move(state)) {}

Stream& Stream::operator=(Stream&& other) noexcept {
  if (this != &other) {
    release();
    connection_ = std::move(other.connection_);
    state_ = std::move(other.state_);
  }
  return *this;
}

Stream::~Stream() { release(); }

void Stream::release() {
  if (state_ && connection_) connection_->stream_release(*state_);
  state_.reset();
  connection_.reset();
}

Task<Result<std::size_t>> Stream::read(std::span<std::uint8_t> buffer) {
  return connection_->stream_read(*state_, buffer);
}
Task<Status> Stream::write(ByteView data) { return connection_->stream_write(*state_, data); }
Status Stream::close_write() { return connection_->stream_close_write(*state_); }
void Stream::reset() { connection_->stream_reset(*state_); }
yamux::StreamId Stream::id() const { return state_->id; }
const std::string& Stream::protocol() const { return state_->protocol; }

Task<Result<Bytes>> read_to_end(Stream& stream, std::size_t max) {
  Bytes out;
  std::array<std::uint8_t, 16 * 1024> buf;
  for (;;) {
    CF_CO_TRY_ASSIGN(n, co_await stream.read(buf));
    if (n == 0) co_return out;
    if (out.size() + n > max) co_return Error(errc::message_too_large);
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  }
}

Task<Status> read_exact(Stream& stream, std::span<std::uint8_t> buffer) {
  while (!buffer.empty()) {
    CF_CO_TRY_ASSIGN(n, co_await stream.read(buffer));
    if (n == 0) co_return Error(errc::unexpected_eof);
    buffer = buffer.subspan(n);
  }
  co_return ok();
}

Task<Result<std::size_t>> Connection::stream_read(detail::StreamState& st, std::span<std::uint8_t> buffer) {
  auto self = shared_from_this();
  for (;;) {
    if (st.unread_pos < st.unread.size()) {
      auto n = std::min(buffer.size(), st.unread.size() - st.unread_pos);
      std::memcpy(buffer.data(), st.unread.data() + st.unread_pos, n);
      st.unread_pos += n;
      co_return n;
    }
    if (st.reset) co_return st.reset_error;
    if (closing_) co_return Error(errc::connection_closed);
    auto data = session_.read(st.id, buffer.size());
    if (data && !data->empty()) {
      std::memcpy(buffer.data(), data->data(), data->size());
      flush();  // a window update may be queued
      co_return data->size();
    }
    if (st.remote_fin) co_return std::size_t{0};
    if (!data) co_return Error(errc::stream_reset, data.error().message());
    co_await st.readable.wait();
    if (co_await stop_requested()) co_return Error(cf::errc::cancelled);
  }
}

Task<Status> Connection::stream_write(detail::StreamState& st, ByteView data) {
  auto self = shared_from_this();
  while (!data.empty()) {
    if (st.reset) co_return st.reset_error;
    if (closing_) co_return Error(errc::connection_closed);
    auto n = session_.write(st.id, data);
    if (!n) co_return n.error();
    data = data.subspan(*n);
    flush();
    if (*n == 0) {
      co_await st.writable.wait();
      if (co_await stop_requested()) co_return Error(cf::errc::cancelled);
    }
  }
  co_return ok();
}

Status Connection::stream_close_write(detail::StreamState& st) {
  if (st.reset) return st.reset_error;
  if (closing_) return Error(errc::connection_closed);
  CF_TRY(session_.close_write(st.id));
  st.local_fin = true;
  flush();
  return ok();
}

void Connection::stream_reset(detail::StreamState& st) {
  if (st.reset || closing_) return;
  st.reset = true;
  st.reset_error = Error(errc::stream_reset, "reset locally");
  (void)session_.reset(st.id);
  streams_.erase(st.id);
  flush();
}

void Connection::stream_release(detail::StreamState& st) {
  if (!st.local_fin) stream_reset(st);
}

Task<Result<Stream>> Connection::open_stream(std::string protocol, std::chrono::milliseconds timeout) {
  return open_stream(std::vector<std::string>{std::move(protocol)}, timeout);
}

Task<Result<Stream>> Connection::open_stream(std::vector<std::string> protocols, std::chrono::milliseconds timeout) {
  auto self = shared_from_this();
  if (closing_) co_return Error(errc::connection_closed);
  CF_CO_TRY_ASSIGN(dialer, mss::Dialer::create(protocols));
  CF_CO_TRY_ASSIGN(id, session_.open_stream());
  auto state = add_stream(id);
  Stream stream(self, state);
  flush();
  std::string what = "negotiating ";
  what += protocols.front();
  auto status = co_await with_timeout(negotiate(stream, *state, dialer), timeout, what);
  if (!status) co_return status.error();
  co_return std::move(stream);
}

Task<void> Connection::serve_inbound(Stream stream) {
  auto self = shared_from_this();
  mss::Listener listener(router_->protocols());
  auto& state = *stream.state_;
  auto status = co_await with_timeout(negotiate(stream, state, listener), negotiate_timeout,
                                      "inbound multistream");
  if (!status) {
    log::get("p2p")->debug("inbound stream {} from {}: {}", state.id, remote_.to_string(),
                           status.error().message());
    co_return;
  }
  auto it = router_->handlers.find(state.protocol);
  if (it == router_->handlers.end()) co_return;
  auto handler = it->second;  // a copy: the registry may change while the handler runs
  co_await handler(std::move(stream));
}

}  // namespace cf::p2p
