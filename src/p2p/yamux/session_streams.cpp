// Yamux session: the stream API (go-yamux session.go OpenStream, stream.go write,
// sendWindowUpdate, sendClose, sendReset). Frames only go to the outbox here.
#include "cf/p2p/yamux/session.hpp"

#include <algorithm>
#include <string>

#include "cf/p2p/yamux/errc.hpp"

namespace cf::p2p::yamux {
namespace {

Error unknown(StreamId id) {
  return Error(errc::unknown_stream, "yamux stream " + std::to_string(id) + " does not exist");
}

}  // namespace

Result<StreamId> Session::open_stream() {
  if (is_closed()) return errc::session_closed;
  if (outbound_count_ >= config_.max_outbound_streams) {
    return Error(errc::too_many_streams,
                 "yamux: " + std::to_string(outbound_count_) + " outbound streams are open");
  }
  if (next_stream_id_ >= UINT32_MAX - 1) return errc::streams_exhausted;  // go's bound
  const auto id = static_cast<StreamId>(next_stream_id_);
  next_stream_id_ += 2;
  auto [it, inserted] = streams_.emplace(id, Stream(id, true, config_.receive_window));
  ++outbound_count_;
  queue(FrameType::window_update, flag_syn, id, it->second.grant_initial());
  return id;
}

Result<std::size_t> Session::write(StreamId id, ByteView data) {
  if (is_closed()) return errc::session_closed;
  Stream* stream = find(id);
  if (stream == nullptr) return unknown(id);
  if (stream->local_fin()) return errc::write_closed;
  const std::size_t accepted = stream->reserve_send(data.size());
  std::size_t sent = 0;
  while (sent < accepted) {
    const std::size_t n = std::min<std::size_t>(accepted - sent, config_.max_frame_payload);
    queue(FrameType::data, 0, id, static_cast<std::uint32_t>(n));
    const auto chunk = data.subspan(sent, n);
    out_.insert(out_.end(), chunk.begin(), chunk.end());
    sent += n;
  }
  return accepted;
}

Result<Bytes> Session::read(StreamId id, std::size_t max) {
  if (is_closed()) return errc::session_closed;
  Stream* stream = find(id);
  if (stream == nullptr) return unknown(id);
  Bytes data = stream->read(max);
  if (const std::uint32_t delta = stream->take_window_update(); delta > 0) {
    queue(FrameType::window_update, 0, id, delta);
  }
  if (stream->finished()) remove(id);
  return data;
}

Status Session::close_write(StreamId id) {
  if (is_closed()) return errc::session_closed;
  Stream* stream = find(id);
  if (stream == nullptr) return unknown(id);
  if (stream->local_fin()) return errc::write_closed;
  stream->set_local_fin();
  queue(FrameType::window_update, flag_fin, id, 0);
  if (stream->finished()) remove(id);
  return ok();
}

Status Session::reset(StreamId id, std::uint32_t code) {
  if (is_closed()) return errc::session_closed;
  if (find(id) == nullptr) return unknown(id);
  queue(FrameType::window_update, flag_rst, id, code);
  remove(id);
  return ok();
}

void Session::go_away(std::uint32_t code) {
  if (is_closed()) return;
  queue(FrameType::go_away, 0, session_stream_id, code);
  close(Error(errc::local_go_away, "yamux go away sent, code " + std::to_string(code)));
}

std::optional<StreamInfo> Session::stream_info(StreamId id) const {
  auto it = streams_.find(id);
  if (it == streams_.end()) return std::nullopt;
  const Stream& s = it->second;
  return StreamInfo{s.outbound(), s.established(), s.local_fin(),     s.remote_fin(),
                    s.buffered(), s.send_window(), s.receive_credit()};
}

}  // namespace cf::p2p::yamux
