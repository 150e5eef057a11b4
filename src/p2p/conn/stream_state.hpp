// Per-stream state shared by a Stream (its user) and its Connection (which dispatches yamux
// events into it). Private to the p2p layer.
#pragma once

#include <cstddef>
#include <string>

#include <asio/any_io_executor.hpp>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/base/task_set.hpp"
#include "cf/p2p/yamux/frame.hpp"

namespace cf::p2p::detail {

struct StreamState {
  StreamState(const asio::any_io_executor& executor, yamux::StreamId stream_id)
      : id(stream_id), readable(executor), writable(executor) {}

  yamux::StreamId id;
  std::string protocol;
  Bytes unread;  // bytes after the multistream answer, read before the session's buffer
  std::size_t unread_pos = 0;
  bool remote_fin = false;
  bool local_fin = false;
  bool reset = false;
  Error reset_error;
  Signal readable;
  Signal writable;
};

}  // namespace cf::p2p::detail
