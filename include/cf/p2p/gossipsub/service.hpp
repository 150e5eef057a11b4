// Gossipsub on the host: the I/O around Router (router.hpp). It answers /meshsub/1.2.0, 1.1.0
// and 1.0.0 streams, opens our one outbound stream to every identified peer that speaks
// meshsub (the best version it lists), writes the router's RPCs to it, runs the heartbeat, and
// hands validated messages to the application (libp2p-wire.md §7).
//
// Stream rules that keep go-libp2p-pubsub sending to us (§7.6): the stream a peer opened to us
// is only read, never written, half-closed or reset while it is alive; our RPCs go on our own
// stream, each write bounded by write_timeout (go's is 30 s). When our stream fails it is
// reopened (a fresh hello) with backoff, and after max_open_failures in a row the connection is
// closed so that keep_connected redials it. When a meshsub peer has had no stream to us for
// inbound_grace (go gives up after 4 reopen attempts in 10 minutes and only tries again on a
// new connection), the connection is closed for the same reason.
//
// Ownership: owns its per-peer writers and the heartbeat (a TaskSet); stop() cancels and joins
// them. Its stream handler runs as a task of each connection, so it must outlive the host's
// stop(). Executor: the host's (single-threaded). Logger "pubsub".
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/base/task_set.hpp"
#include "cf/identity/ed25519.hpp"
#include "cf/p2p/gossipsub/router.hpp"
#include "cf/p2p/host/host.hpp"

namespace cf::p2p::gossipsub {

struct ServiceConfig {
  RouterConfig router;
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds open_timeout{10'000};
  std::chrono::milliseconds reopen_backoff{1'000};  // doubled per failure in a row
  int max_open_failures = 3;
  std::chrono::milliseconds inbound_grace{60'000};
};

// What the service knows of one peer's streams, for doctor and status.
struct StreamInfo {
  std::string outbound_protocol;  // empty while our stream is not open
  int inbound_streams = 0;        // streams the peer opened to us that are being read
  std::optional<TimePoint> last_inbound_rpc;
};

class Service {
 public:
  using DeliveryHandler = std::function<void(const Delivery&)>;

  Service(Host& host, identity::Ed25519Keypair key, ServiceConfig config = {});
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Starts the heartbeat. Peers identified before start() are picked up by it.
  void start();
  Task<void> stop();

  void subscribe(const std::string& topic);
  void set_validator(const std::string& topic, Validator validator) { router_.set_validator(topic, std::move(validator)); }
  void set_priority_peers(std::set<PeerId> peers);
  // Called for every accepted message, on the executor, synchronously: must not block.
  void on_delivery(DeliveryHandler handler) { on_delivery_ = std::move(handler); }
  Result<MessageId> publish(const std::string& topic, Bytes data);

  const Router& router() const { return router_; }
  std::optional<StreamInfo> streams(const PeerId& peer) const;

 private:
  struct Peer {
    Peer(std::shared_ptr<Connection> c, const asio::any_io_executor& executor)
        : connection(std::move(c)), wake(executor) {}
    std::shared_ptr<Connection> connection;
    Signal wake;
    std::string protocol;  // of our open stream
    bool done = false;     // the writer must end (connection gone or replaced)
  };
  struct Inbound {
    int streams = 0;
    std::optional<TimePoint> last_rpc;
    TimePoint quiet_since{};  // since when no stream of theirs is open
  };

  void on_event(const ConnectionEvent& event);
  void start_peer(const std::shared_ptr<Connection>& connection);
  Task<void> write_loop(std::shared_ptr<Peer> peer);
  Task<Status> open_and_write(Peer& peer);
  Task<void> serve(Stream stream);
  Task<Status> read_rpcs(Stream& stream, const PeerId& peer);
  Task<void> heartbeat_loop();
  void close_silent_peers(TimePoint now);
  void flush();

  Host& host_;
  identity::Ed25519Keypair key_;
  ServiceConfig config_;
  Router router_;
  DeliveryHandler on_delivery_;
  std::map<PeerId, std::shared_ptr<Peer>> peers_;
  std::map<PeerId, Inbound> inbound_;
  TaskSet tasks_;
  Subscription subscription_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace cf::p2p::gossipsub
