#include "cf/p2p/gossipsub/service.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "cf/base/log.hpp"
#include "cf/p2p/conn/errc.hpp"
#include "cf/p2p/conn/frames.hpp"

namespace cf::p2p::gossipsub {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::shared_ptr<spdlog::logger> logger() { return log::get("pubsub"); }

// The best meshsub version the peer lists, or empty.
std::string preferred_protocol(const PeerRecord* record) {
  if (!record) return {};
  for (auto p : {protocol_v12, protocol_v11, protocol_v10}) {
    if (record->supports(p)) return std::string(p);
  }
  return {};
}

// Dropped messages are counted by the router (metrics); each one is also worth a debug line.
void log_drops(const PeerId& from, const Counters& before, const Counters& after) {
  const auto bad = after.bad_signature - before.bad_signature;
  const auto untrusted = after.untrusted_author - before.untrusted_author;
  const auto elsewhere = after.unsubscribed_topic - before.unsubscribed_topic;
  if (bad + untrusted + elsewhere == 0) return;
  logger()->debug("dropped from {}: {} with a bad signature, {} by untrusted authors, {} in topics we did not join",
                  from.to_string(), bad, untrusted, elsewhere);
}

}  // namespace

Service::Service(Host& host, identity::Ed25519Keypair key, ServiceConfig config)
    : host_(host),
      key_(std::move(key)),
      config_(std::move(config)),
      router_(host.id(), config_.router),
      tasks_(host.executor(), logger()) {
  for (auto p : {protocol_v12, protocol_v11, protocol_v10}) {
    host_.set_handler(std::string(p), [this](Stream s) { return serve(std::move(s)); });
  }
  subscription_ = host_.subscribe([this](const ConnectionEvent& e) { on_event(e); });
}

Service::~Service() {
  for (auto p : {protocol_v12, protocol_v11, protocol_v10}) host_.remove_handler(std::string(p));
}

void Service::start() {
  if (started_) return;
  started_ = true;
  for (const auto& connection : host_.connections()) {
    if (!preferred_protocol(host_.peers().find(connection->remote_peer())).empty()) start_peer(connection);
  }
  tasks_.spawn(heartbeat_loop(), "pubsub heartbeat");
}

Task<void> Service::stop() {
  stopped_ = true;
  subscription_.reset();
  for (auto& [id, peer] : peers_) {
    peer->done = true;
    peer->wake.notify();
  }
  tasks_.cancel();
  co_await tasks_.wait_idle();
  peers_.clear();
}

void Service::subscribe(const std::string& topic) {
  router_.subscribe(topic, Clock::now());
  flush();
}

void Service::set_priority_peers(std::set<PeerId> peers) {
  router_.set_priority_peers(std::move(peers), Clock::now());
  flush();
}

Result<MessageId> Service::publish(const std::string& topic, Bytes data) {
  auto id = router_.publish(key_, topic, std::move(data), Clock::now());
  flush();
  return id;
}

std::optional<StreamInfo> Service::streams(const PeerId& peer) const {
  StreamInfo info;
  bool known = false;
  if (auto it = peers_.find(peer); it != peers_.end()) {
    info.outbound_protocol = it->second->protocol;
    known = true;
  }
  if (auto it = inbound_.find(peer); it != inbound_.end()) {
    info.inbound_streams = it->second.streams;
    info.last_inbound_rpc = it->second.last_rpc;
    known = true;
  }
  if (!known) return std::nullopt;
  return info;
}

void Service::on_event(const ConnectionEvent& event) {
  const auto& peer = event.connection->remote_peer();
  switch (event.kind) {
    case ConnectionEventKind::connected:
      break;
    case ConnectionEventKind::identified:
      inbound_.try_emplace(peer).first->second.quiet_since = Clock::now();
      if (started_ && !stopped_ && !preferred_protocol(host_.peers().find(peer)).empty()) {
        start_peer(event.connection);
      }
      break;
    case ConnectionEventKind::disconnected: {
      auto it = peers_.find(peer);
      if (it != peers_.end() && it->second->connection == event.connection) {
        it->second->done = true;
        it->second->wake.notify();
        peers_.erase(it);
      }
      if (!host_.connection(peer)) {
        router_.remove_peer(peer);
        inbound_.erase(peer);
      }
      break;
    }
  }
}

void Service::start_peer(const std::shared_ptr<Connection>& connection) {
  const auto& id = connection->remote_peer();
  auto& slot = peers_[id];
  if (slot && slot->connection == connection) return;
  if (slot) {  // a newer connection replaces the old one's writer
    slot->done = true;
    slot->wake.notify();
  }
  slot = std::make_shared<Peer>(connection, host_.executor());
  tasks_.spawn(write_loop(slot), "pubsub writer");
}

Task<void> Service::write_loop(std::shared_ptr<Peer> peer) {
  auto backoff = config_.reopen_backoff;
  int failures = 0;
  while (!peer->done && !stopped_) {
    auto status = co_await open_and_write(*peer);
    if (peer->done || stopped_ || co_await stop_requested()) break;
    if (!peer->protocol.empty()) {  // it was open: a new series of attempts
      failures = 0;
      backoff = config_.reopen_backoff;
    }
    peer->protocol.clear();
    ++failures;
    const auto& id = peer->connection->remote_peer();
    logger()->debug("pubsub stream to {}: {} ({} in a row)", id.to_string(), status.error().message(), failures);
    if (failures >= config_.max_open_failures) {
      logger()->warn("pubsub stream to {} failed {} times ({}); reconnecting", id.to_string(), failures,
                     status.error().message());
      peer->connection->close();
      break;
    }
    co_await cf::detail::sleep_for(backoff);
    backoff *= 2;
  }
}

Task<Status> Service::open_and_write(Peer& peer) {
  const auto& id = peer.connection->remote_peer();
  auto protocol = preferred_protocol(host_.peers().find(id));
  if (protocol.empty()) co_return Error(p2p::errc::no_handler, "the peer lists no meshsub protocol");
  CF_CO_TRY_ASSIGN(stream, co_await peer.connection->open_stream(protocol, config_.open_timeout));
  CF_CO_TRY(router_.add_peer(id, stream.protocol(), Clock::now()));
  peer.protocol = stream.protocol();
  logger()->debug("pubsub stream to {} open ({})", id.to_string(), peer.protocol);
  Bytes wire;
  for (;;) {
    for (auto& rpc : router_.take_output(id)) append_frame(wire, rpc);
    if (!wire.empty()) {
      CF_CO_TRY(co_await with_timeout(stream.write(wire), config_.write_timeout, "pubsub write"));
      wire.clear();
      continue;
    }
    if (peer.done || stopped_) co_return ok();
    co_await peer.wake.wait();
    if (co_await stop_requested()) co_return Error(cf::errc::cancelled);
  }
}

Task<void> Service::serve(Stream stream) {
  const auto peer = stream.connection().remote_peer();
  ++inbound_[peer].streams;
  auto status = co_await read_rpcs(stream, peer);
  if (auto it = inbound_.find(peer); it != inbound_.end()) {
    --it->second.streams;
    if (it->second.streams == 0) it->second.quiet_since = Clock::now();
  }
  logger()->debug("pubsub stream from {} ended: {}", peer.to_string(),
                  status ? std::string("end of stream") : status.error().message());
  // Dropping `stream` resets it only if it is still open: after the peer's EOF, or a
  // malformed RPC (go resets the stream then too). Nothing is ever written to it.
}

Task<Status> Service::read_rpcs(Stream& stream, const PeerId& peer) {
  FrameReader frames(max_rpc_size);
  std::array<std::uint8_t, 64 * 1024> buf;
  for (;;) {
    CF_CO_TRY_ASSIGN(n, co_await stream.read(buf));
    if (n == 0) co_return ok();
    CF_CO_TRY(frames.feed(ByteView(buf.data(), n)));
    while (auto rpc = frames.next()) {
      const auto now = Clock::now();
      if (auto it = inbound_.find(peer); it != inbound_.end()) it->second.last_rpc = now;
      const auto before = router_.counters();
      auto handled = router_.on_rpc(peer, *rpc, now);
      log_drops(peer, before, router_.counters());
      if (!handled) {
        flush();
        co_return handled;
      }
    }
    flush();
  }
}

Task<void> Service::heartbeat_loop() {
  const auto interval = std::chrono::duration_cast<Clock::duration>(config_.router.heartbeat_interval);
  while (!stopped_) {
    co_await cf::detail::sleep_for(interval);
    if (stopped_ || co_await stop_requested()) break;
    const auto now = Clock::now();
    router_.heartbeat(now);
    close_silent_peers(now);
    flush();
  }
}

void Service::close_silent_peers(TimePoint now) {
  for (const auto& connection : host_.connections()) {
    const auto& id = connection->remote_peer();
    auto it = inbound_.find(id);
    if (it == inbound_.end() || it->second.streams > 0) continue;
    if (preferred_protocol(host_.peers().find(id)).empty()) continue;
    if (now - it->second.quiet_since < config_.inbound_grace) continue;
    logger()->warn("{} has had no pubsub stream to us for {} s; reconnecting so that it opens one",
                   id.to_string(),
                   std::chrono::duration_cast<std::chrono::seconds>(now - it->second.quiet_since).count());
    it->second.quiet_since = now;
    connection->close();
  }
}

void Service::flush() {
  while (auto delivery = router_.next_delivery()) {
    if (on_delivery_) on_delivery_(*delivery);
  }
  for (auto& [id, peer] : peers_) peer->wake.notify();
}

}  // namespace cf::p2p::gossipsub
