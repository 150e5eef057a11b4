// Yamux session: inbound frame handling (go-yamux session.go recvLoop, handleStreamMessage,
// handlePing, handleGoAway, incomingStream; stream.go processFlags, readData,
// incrSendWindow). The stream API is in session_streams.cpp, pings in session_ping.cpp.
#include "cf/p2p/yamux/session.hpp"

#include <string>
#include <utility>

#include "cf/p2p/yamux/errc.hpp"

namespace cf::p2p::yamux {
namespace {

std::uint32_t clamp_window(std::uint32_t w) {
  if (w < initial_stream_window) return initial_stream_window;
  if (w > max_stream_window) return max_stream_window;
  return w;
}

// "yamux stream <id>: <what>".
Error stream_error(errc code, StreamId id, const std::string& what) {
  std::string detail = "yamux stream ";
  detail += std::to_string(id);
  detail += ": ";
  detail += what;
  return Error(code, std::move(detail));
}

Config normalised(Config c) {
  c.receive_window = clamp_window(c.receive_window);
  if (c.max_frame_payload == 0) c.max_frame_payload = 64 * 1024 - header_size;
  if (c.max_outstanding_pings == 0) c.max_outstanding_pings = 1;  // keepalive needs one
  return c;
}

}  // namespace

Session::Session(Role role, Config config)
    : role_(role),
      config_(normalised(config)),
      reader_(config_.receive_window),
      next_stream_id_(role == Role::client ? 1 : 2) {}

Status Session::feed(ByteView bytes, TimePoint now) {
  if (is_closed()) return errc::session_closed;
  reader_.feed(bytes);
  for (;;) {
    auto frame = reader_.next();
    if (!frame) return fail(frame.error());
    if (!*frame) return ok();
    last_received_ = now;  // any frame postpones the keepalive (go extendKeepalive)
    CF_TRY(on_frame(**frame, now));
    if (is_closed()) return ok();  // a GoAway ended the session; the rest is ignored
  }
}

std::optional<Event> Session::next_event() {
  if (events_.empty()) return std::nullopt;
  Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

void Session::take_output(Bytes& out) {
  out.clear();
  if (control_out_.empty()) {
    std::swap(out, out_);
    return;
  }
  std::swap(out, control_out_);
  out.insert(out.end(), out_.begin(), out_.end());
  out_.clear();
}

Bytes Session::take_output() {
  Bytes out;
  take_output(out);
  return out;
}

Status Session::on_frame(const FrameView& frame, TimePoint now) {
  switch (frame.header.type) {
    case FrameType::data: return on_data(frame.header, frame.payload);
    case FrameType::window_update: return on_window_update(frame.header);
    case FrameType::ping: on_ping(frame.header, now); return ok();
    case FrameType::go_away: on_go_away(frame.header); return ok();
  }
  return ok();  // unreachable: decode_header rejects other types
}

Status Session::on_data(const FrameHeader& header, ByteView payload) {
  if (header.has(flag_syn)) CF_TRY(on_syn(header.stream));
  Stream* stream = find(header.stream);
  if (stream == nullptr) return ok();  // unknown or removed: drop (go drains it)
  if (!apply_ack_rst(*stream, header)) return ok();
  if (!payload.empty()) {
    if (stream->remote_fin()) {
      const StreamId id = stream->id();
      queue(FrameType::window_update, flag_rst, id, 0);
      remove(id);
      events_.push_back(StreamReset{id, false, 0,
                                    stream_error(errc::data_after_fin, id, "data after FIN")});
      return ok();
    }
    if (auto st = stream->on_data(payload); !st) return fail(st.error());
    events_.push_back(DataAvailable{stream->id(), stream->buffered()});
  }
  if (header.has(flag_fin)) apply_remote_fin(*stream);
  return ok();
}

Status Session::on_window_update(const FrameHeader& header) {
  if (header.has(flag_syn)) CF_TRY(on_syn(header.stream));
  Stream* stream = find(header.stream);
  if (stream == nullptr) return ok();
  // With RST the length is go-yamux v5's stream error code, not a delta.
  if (!apply_ack_rst(*stream, header)) return ok();
  if (auto st = stream->add_send_window(header.length); !st) return fail(st.error());
  if (!stream->local_fin() && stream->take_unblocked()) {
    events_.push_back(WindowAvailable{stream->id(), stream->send_window()});
  }
  if (header.has(flag_fin)) apply_remote_fin(*stream);
  return ok();
}

void Session::on_go_away(const FrameHeader& header) {
  events_.push_back(GoAwayReceived{header.length});
  close(Error(errc::remote_go_away, "yamux peer sent go away, code " +
                                        std::to_string(header.length)));
}

Status Session::on_syn(StreamId id) {
  if (id == session_stream_id) {
    return fail(stream_error(errc::invalid_stream_id, id, "SYN for the session stream"));
  }
  if (!is_inbound_id(id)) {  // go: "both yamux endpoints are clients"
    return fail(stream_error(errc::invalid_stream_id, id,
                             role_ == Role::client ? "SYN with our parity (both are clients)"
                                                   : "SYN with our parity (both are servers)"));
  }
  if (streams_.contains(id)) {
    return fail(stream_error(errc::duplicate_stream, id, "SYN for an open stream"));
  }
  if (inbound_count_ >= config_.max_inbound_streams) {
    queue(FrameType::window_update, flag_rst, id, 0);  // go: MaxIncomingStreams exceeded
    return ok();
  }
  auto [it, inserted] = streams_.emplace(id, Stream(id, false, config_.receive_window));
  ++inbound_count_;
  queue(FrameType::window_update, flag_ack, id, it->second.grant_initial());
  events_.push_back(StreamOpened{id});
  return ok();
}

bool Session::apply_ack_rst(Stream& stream, const FrameHeader& header) {
  if (header.has(flag_ack) && stream.outbound() && !stream.established()) {
    stream.mark_established();
    events_.push_back(StreamAccepted{stream.id()});
  }
  if (!header.has(flag_rst)) return true;
  const std::uint32_t code = header.type == FrameType::window_update ? header.length : 0;
  const StreamId id = stream.id();
  remove(id);
  events_.push_back(StreamReset{
      id, true, code,
      stream_error(errc::stream_reset, id, "reset by peer, code " + std::to_string(code))});
  return false;
}

void Session::apply_remote_fin(Stream& stream) {
  if (stream.remote_fin()) return;
  stream.set_remote_fin();
  const StreamId id = stream.id();
  events_.push_back(StreamFinished{id});
  if (stream.finished()) remove(id);
}

Stream* Session::find(StreamId id) {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : &it->second;
}

void Session::remove(StreamId id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  if (it->second.outbound()) {
    --outbound_count_;
  } else {
    --inbound_count_;
  }
  streams_.erase(it);
}

bool Session::is_inbound_id(StreamId id) const {
  const bool odd = (id % 2) == 1;
  return role_ == Role::client ? !odd : odd;
}

void Session::queue(FrameType type, Flags flags, StreamId stream, std::uint32_t length) {
  Bytes& out = type == FrameType::ping ? control_out_ : out_;
  append_header(out, FrameHeader{protocol_version, type, flags, stream, length});
}

Status Session::fail(Error error) {
  queue(FrameType::go_away, 0, session_stream_id, go_away_protocol_error);
  events_.push_back(SessionError{error});
  close(error);
  return error;
}

void Session::close(Error reason) {
  if (is_closed()) return;
  close_reason_ = std::move(reason);
  streams_.clear();
  inbound_count_ = 0;
  outbound_count_ = 0;
  pings_.clear();
}

}  // namespace cf::p2p::yamux
