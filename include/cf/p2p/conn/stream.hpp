// A yamux stream as its user sees it, after multistream-select chose its protocol.
// Ownership: a move-only handle. It shares the per-stream state with its Connection (the
// connection dispatches events into it, the user reads from it: the one place where a
// shared_ptr is really shared) and keeps the Connection alive. Dropping a Stream whose write
// side is still open resets it; after close_write() it is left to finish (the peer's FIN).
// Contract (as cpp-libp2p's Stream): at most one read and one write in flight at a time.
// Executor: the connection's single-threaded executor. Cancellation: a cancelled read or
// write returns cf::errc::cancelled; bytes already queued stay queued.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/p2p/yamux/frame.hpp"

namespace cf::p2p {

class Connection;
namespace detail {
struct StreamState;
}

class Stream {
 public:
  Stream(std::shared_ptr<Connection> connection, std::shared_ptr<detail::StreamState> state);
  Stream(Stream&&) noexcept = default;
  Stream& operator=(Stream&& other) noexcept;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  ~Stream();

  // Up to buffer.size() bytes; 0 at the peer's FIN. Waits for data. Errors: errc::stream_reset,
  // errc::connection_closed, cf::errc::cancelled.
  Task<Result<std::size_t>> read(std::span<std::uint8_t> buffer);
  // Queues all of `data`, waiting for the peer's window updates (back-pressure).
  Task<Status> write(ByteView data);
  // Half-close (FIN).
  Status close_write();
  // RST; later calls fail.
  void reset();

  yamux::StreamId id() const;
  const std::string& protocol() const;
  Connection& connection() const { return *connection_; }

 private:
  friend class Connection;
  void release();
  std::shared_ptr<Connection> connection_;
  std::shared_ptr<detail::StreamState> state_;
};

// Reads until EOF; errc::message_too_large past `max` bytes.
Task<Result<Bytes>> read_to_end(Stream& stream, std::size_t max);
// Fills `buffer` completely; errc::unexpected_eof if the peer closes first.
Task<Status> read_exact(Stream& stream, std::span<std::uint8_t> buffer);

}  // namespace cf::p2p
