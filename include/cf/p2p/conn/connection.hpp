// One upgraded libp2p connection: socket + pnet + Noise channel + yamux Session.
// Coroutines (owned by the connection's TaskSet, all on the single-threaded executor of the
// socket): one reader (socket -> pnet -> channel.feed -> session.feed -> events), one writer
// (session.take_output -> channel.encrypt -> pnet -> socket; the only writer, so writes are
// serialized and each is bounded by 10 s), one ticker (session.on_tick at next_deadline: our
// keepalive pings and their 10 s timeout), and one coroutine per inbound stream (multistream
// listener, then the registered handler). go's pings are answered by the session; the reader
// wakes the writer after every read, so pongs go out at once.
// Ownership: created as shared_ptr (its coroutines, its Streams and the host hold it).
// close() queues GoAway, fails every stream, flushes and closes the socket, and cancels the
// handlers; wait_closed() returns once every coroutine has ended. A peer's protocol error
// ends only its own connection, with the reason logged ("p2p") and kept in close_reason().
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/conn/errc.hpp"
#include "cf/p2p/conn/stream.hpp"
#include "cf/base/task_set.hpp"
#include "cf/p2p/conn/upgrader.hpp"
#include "cf/p2p/yamux/session.hpp"

namespace cf::p2p {

inline constexpr std::chrono::seconds negotiate_timeout{10};

// Inbound protocol handlers. Shared by the host (which registers) and its connections (which
// look up); a handler owns its Stream and runs as a task of the connection.
using StreamHandler = std::function<Task<void>(Stream)>;
struct ProtocolRouter {
  std::map<std::string, StreamHandler> handlers;
  std::vector<std::string> protocols() const;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  static std::shared_ptr<Connection> create(Upgraded upgraded, std::shared_ptr<ProtocolRouter> router);
  ~Connection();

  void start();  // spawns the reader, writer and ticker
  void close();
  Task<void> wait_closed();

  bool is_closed() const { return closing_; }
  const std::optional<Error>& close_reason() const { return close_reason_; }
  const multiformats::PeerId& remote_peer() const { return remote_; }
  const multiformats::Multiaddr& remote_addr() const { return remote_addr_; }
  const multiformats::Multiaddr& local_addr() const { return local_addr_; }
  bool outbound() const { return outbound_; }
  std::optional<std::chrono::nanoseconds> rtt() const { return session_.rtt(); }

  // Opens a stream and negotiates `protocol` (bounded by `timeout`).
  Task<Result<Stream>> open_stream(std::string protocol,
                                   std::chrono::milliseconds timeout = negotiate_timeout);
  // The same, proposing `protocols` in order of preference; Stream::protocol() says which one
  // the peer chose. mss::errc::not_supported when it refused them all.
  Task<Result<Stream>> open_stream(std::vector<std::string> protocols,
                                   std::chrono::milliseconds timeout = negotiate_timeout);

 private:
  friend class Stream;
  Connection(Upgraded upgraded, std::shared_ptr<ProtocolRouter> router);

  Task<void> read_loop();
  Task<void> write_loop();
  Task<Status> write_wire(ByteView wire);  // `wire` must outlive the write
  Task<void> tick_loop();
  Task<void> serve_inbound(Stream stream);
  Status on_wire(ByteView wire);
  void dispatch_events();
  void on_stream_opened(yamux::StreamId id);
  void on_readable(yamux::StreamId id, bool fin);
  void shutdown(Error reason);
  std::shared_ptr<detail::StreamState> add_stream(yamux::StreamId id);

  // Stream's operations.
  Task<Result<std::size_t>> stream_read(detail::StreamState& state, std::span<std::uint8_t> buffer);
  Task<Status> stream_write(detail::StreamState& state, ByteView data);
  Status stream_close_write(detail::StreamState& state);
  void stream_reset(detail::StreamState& state);
  void stream_release(detail::StreamState& state);
  void flush() { write_signal_.notify(); }

  transport::Socket socket_;
  std::optional<pnet::Writer> pnet_out_;
  std::optional<pnet::Reader> pnet_in_;
  noise::SecureChannel channel_;
  yamux::Session session_;
  Bytes initial_;
  multiformats::PeerId remote_;
  multiformats::Multiaddr remote_addr_;
  multiformats::Multiaddr local_addr_;
  bool outbound_;
  std::shared_ptr<ProtocolRouter> router_;
  std::map<yamux::StreamId, std::weak_ptr<detail::StreamState>> streams_;
  Signal write_signal_;
  Signal tick_signal_;
  TaskSet tasks_;
  bool closing_ = false;
  std::optional<Error> close_reason_;
};

}  // namespace cf::p2p
