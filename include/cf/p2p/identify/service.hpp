// /ipfs/id/1.0.0 on the host (go-libp2p p2p/protocol/identify/id.go; libp2p-wire.md §6.1):
// answers every identify request with our key, protocols, listen addresses and the observed
// address, then FIN; and identifies every new connection, either direction, as soon as it is
// up (go-pubsub opens its stream to us only after identify, and ours to them only after ours).
// The result goes to the host's peer book and emits the `identified` event (host.hpp).
// Ownership: owns its identify tasks (a TaskSet); stop() cancels and joins them. It must
// outlive the host's stop() (its handler runs as a task of each connection). Executor: the
// host's. Logger "host".
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/base/task_set.hpp"
#include "cf/p2p/host/host.hpp"

namespace cf::p2p::identify {

struct ServiceConfig {
  // One exchange, each way (go's DefaultTimeout is 5 s for the whole exchange; a follower on a
  // slow link gets more).
  std::chrono::milliseconds timeout{10'000};
};

class Service {
 public:
  explicit Service(Host& host, ServiceConfig config = {});
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Waits until identify of `connection` has finished (starting it if it has not started)
  // and returns its outcome: ok when the peer book holds the facts, else the error.
  Task<Status> wait_identified(std::shared_ptr<Connection> connection);
  Task<void> stop();

 private:
  struct Attempt {
    explicit Attempt(const asio::any_io_executor& executor) : done(executor) {}
    Signal done;
    std::optional<Status> outcome;
  };

  void on_event(const ConnectionEvent& event);
  std::shared_ptr<Attempt> start(const std::shared_ptr<Connection>& connection);
  Task<void> identify_remote(std::shared_ptr<Connection> connection, std::shared_ptr<Attempt> attempt);
  Task<Status> exchange(Connection& connection);
  Task<void> serve(Stream stream);

  Host& host_;
  ServiceConfig config_;
  TaskSet tasks_;
  std::map<const Connection*, std::shared_ptr<Attempt>> attempts_;  // live connections only
  Subscription subscription_;
  bool stopped_ = false;
};

}  // namespace cf::p2p::identify
