#include "cf/p2p/bitswap/service.hpp"

#include <array>
#include <string>
#include <utility>

#include "cf/base/log.hpp"
#include "cf/p2p/conn/errc.hpp"
#include "cf/p2p/conn/frames.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::shared_ptr<spdlog::logger> logger() { return log::get("bitswap"); }

// Stands in for a missing store: holds nothing, so every want gets DONT_HAVE.
struct EmptyStore final : BlockStore {
  std::optional<Bytes> get(const mf::Multihash&) const override { return std::nullopt; }
  bool has(const mf::Multihash&) const override { return false; }
};
const EmptyStore empty_store;

}  // namespace

Service::Service(Host& host, const BlockStore* store, ServiceConfig config)
    : host_(host),
      store_(store ? store : &empty_store),
      config_(std::move(config)),
      client_(config_.client),
      server_(config_.server),
      tick_(host.executor()),
      tasks_(host.executor(), logger()) {
  host_.set_handler(std::string(protocol_id), [this](Stream s) { return serve(std::move(s)); });
  subscription_ = host_.subscribe([this](const ConnectionEvent& e) { on_event(e); });
}

Service::~Service() { host_.remove_handler(std::string(protocol_id)); }

void Service::start() {
  if (started_) return;
  started_ = true;
  for (const auto& connection : host_.connections()) {
    const auto* record = host_.peers().find(connection->remote_peer());
    if (record && record->supports(protocol_id)) add_peer(connection);
  }
  tasks_.spawn(tick_loop(), "bitswap timer");
}

Task<void> Service::stop() {
  stopped_ = true;
  subscription_.reset();
  for (auto& [id, peer] : peers_) {
    peer->done = true;
    peer->wake.notify();
  }
  for (auto& waiter : waiters_) waiter.ready.notify();
  tick_.notify();
  tasks_.cancel();
  co_await tasks_.wait_idle();
  peers_.clear();
}

void Service::on_event(const ConnectionEvent& event) {
  const auto& id = event.connection->remote_peer();
  if (event.kind == ConnectionEventKind::identified) {
    const auto* record = host_.peers().find(id);
    if (started_ && !stopped_ && record && record->supports(protocol_id)) add_peer(event.connection);
  } else if (event.kind == ConnectionEventKind::disconnected) {
    auto it = peers_.find(id);
    if (it == peers_.end() || it->second->connection != event.connection) return;
    it->second->done = true;
    it->second->wake.notify();
    peers_.erase(it);
    client_.remove_peer(id);
    server_.remove_peer(id);
    flush();  // its wants in flight go to other peers
  }
}

void Service::add_peer(const std::shared_ptr<Connection>& connection) {
  const auto& id = connection->remote_peer();
  auto& slot = peers_[id];
  if (slot && slot->connection == connection) return;
  if (slot) {
    slot->done = true;
    slot->wake.notify();
    client_.remove_peer(id);  // the old connection's ledger of our wants is gone
  }
  slot = std::make_shared<Peer>(connection, host_.executor());
  client_.add_peer(id);
  tasks_.spawn(write_loop(slot), "bitswap writer");
  flush();
}

Task<Result<Bytes>> Service::get(const mf::Cid& cid, std::optional<mf::PeerId> preferred) {
  if (stopped_) co_return Error(cf::errc::cancelled, "bitswap stopped");
  CF_CO_TRY(client_.want(cid, std::move(preferred)));
  auto it = waiters_.emplace(waiters_.end(), host_.executor(), cid);
  // Runs when this frame ends in any way, cancellation included (asio 1.22 throws
  // operation_aborted at the next co_await of a cancelled coroutine).
  struct Finish {
    Service* service;
    std::list<Waiter>::iterator it;
    ~Finish() { service->finish(it); }
  } finish_on_exit{this, it};
  flush();
  while (!it->data && !stopped_) {
    co_await it->ready.wait();
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) break;
  }
  if (!it->data) co_return Error(cf::errc::cancelled, "bitswap get " + cid.to_string() + " cancelled");
  co_return std::move(*it->data);
}

void Service::finish(std::list<Waiter>::iterator it) {
  const auto cid = it->cid;
  const bool delivered = it->data.has_value();
  if (it->held > 0) client_.release(it->held);
  waiters_.erase(it);
  if (!delivered) {
    bool others = false;
    for (const auto& w : waiters_) others = others || w.cid == cid;
    if (!others) client_.cancel(cid);
  }
  flush();  // held bytes went down, or a want went away: the window moves
}

void Service::block_added(const mf::Cid& cid) {
  server_.on_block_added(cid);
  flush();
}

Task<void> Service::write_loop(std::shared_ptr<Peer> peer) {
  auto backoff = 1s;
  while (!peer->done && !stopped_) {
    auto status = co_await open_and_write(*peer);
    if (peer->done || stopped_ || co_await stop_requested()) break;
    if (peer->open) backoff = 1s;
    peer->open = false;
    logger()->debug("bitswap stream to {}: {}", peer->connection->remote_peer().to_string(), status.error().message());
    co_await cf::detail::sleep_for(backoff);
    backoff = std::min<std::chrono::seconds>(backoff * 2, 30s);
  }
}

Task<Status> Service::open_and_write(Peer& peer) {
  CF_CO_TRY_ASSIGN(stream, co_await peer.connection->open_stream(std::string(protocol_id), config_.open_timeout));
  peer.open = true;
  Bytes wire;
  for (;;) {
    if (!peer.queued.empty()) {
      wire.swap(peer.queued);
      peer.queued.clear();
      CF_CO_TRY(co_await with_timeout(stream.write(wire), config_.write_timeout, "bitswap write"));
      flush();  // room in the queue: the server may answer more
      continue;
    }
    if (peer.done || stopped_) co_return stream.close_write();
    co_await peer.wake.wait();
    if (co_await stop_requested()) co_return Error(cf::errc::cancelled);
  }
}

Task<void> Service::serve(Stream stream) {
  const auto peer = stream.connection().remote_peer();
  auto status = co_await read_messages(stream, peer);
  if (!status) {
    logger()->debug("bitswap stream from {}: {}", peer.to_string(), status.error().message());
  } else {
    (void)stream.close_write();
  }
}

Task<Status> Service::read_messages(Stream& stream, const mf::PeerId& peer) {
  FrameReader frames(max_message_size);
  std::array<std::uint8_t, 64 * 1024> buf;
  for (;;) {
    CF_CO_TRY_ASSIGN(n, co_await stream.read(buf));
    if (n == 0) co_return ok();
    CF_CO_TRY(frames.feed(ByteView(buf.data(), n)));
    while (auto bytes = frames.next()) {
      CF_CO_TRY_ASSIGN(message, decode_message(*bytes));
      if (auto s = client_.on_message(peer, message); !s) {
        logger()->debug("bitswap message from {}: {}", peer.to_string(), s.error().message());
      }
      server_.on_message(peer, message);
    }
    flush();
  }
}

Task<void> Service::tick_loop() {
  while (!stopped_) {
    auto next = client_.next_deadline().value_or(Clock::now() + 1s);
    co_await tick_.wait_until(std::max(next, Clock::now() + 1ms));
    if (stopped_ || co_await stop_requested()) break;
    client_.on_tick(Clock::now());
    flush();
  }
}

void Service::queue(const Outgoing& out) {
  auto it = peers_.find(out.peer);
  if (it == peers_.end()) return;  // gone since the decision; the client requeued its wants
  append_frame(it->second->queued, encode_message(out.message));
  it->second->wake.notify();
}

void Service::flush() {
  if (stopped_) return;
  deliver();
  for (const auto& out : client_.take_output(Clock::now())) queue(out);
  bool room = true;
  for (const auto& [id, peer] : peers_) room = room && peer->queued.size() < config_.max_queued_bytes_per_peer;
  if (room && server_.has_output()) {
    for (const auto& out : server_.take_output(*store_)) queue(out);
  }
  tick_.notify();  // the next deadline may have moved
}

void Service::deliver() {
  while (auto block = client_.next_block()) {
    bool taken = false;
    for (auto& waiter : waiters_) {
      if (waiter.cid == block->cid && !waiter.data) {
        waiter.held = taken ? 0 : block->data.size();
        waiter.data = block->data;
        waiter.ready.notify();
        taken = true;
      }
    }
    // A block nobody waits for any more (its get() gave up after it was sent) is let go.
    if (!taken) client_.release(block->data.size());
  }
}

}  // namespace cf::p2p::bitswap
