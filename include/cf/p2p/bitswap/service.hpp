// Bitswap 1.2.0 on the host: the I/O around Client and Server (client.hpp, server.hpp;
// libp2p-wire.md §8). Every identified peer that lists /ipfs/bitswap/1.2.0 becomes a bitswap
// peer; our messages to it (wants, cancels, answers) go on one outbound stream that is
// reopened when it fails; every stream a peer opens to us is read to its end, one message at a
// time (go's servers answer on new streams, go's clients keep one open), and each message feeds
// both the client (blocks, presences) and the server (the peer's wants).
//
// get() is how callers fetch: it wants the block and waits for a verified copy; many get()s in
// flight at once share the client's window. A get() whose caller gives up (cancellation or
// with_timeout) withdraws the want when no other get() waits for the same CID.
//
// Ownership: owns its writers and the client's timer loop (a TaskSet); stop() cancels and
// joins them and fails waiting get()s. Its stream handler runs as a task of each connection,
// so it must outlive the host's stop(). The block store is borrowed and must outlive the
// service. Executor: the host's (single-threaded). Logger "bitswap".
#pragma once

#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <optional>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/base/task_set.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/p2p/bitswap/block_store.hpp"
#include "cf/p2p/bitswap/client.hpp"
#include "cf/p2p/bitswap/server.hpp"
#include "cf/p2p/host/host.hpp"

namespace cf::p2p::bitswap {

struct ServiceConfig {
  ClientConfig client;
  ServerConfig server;
  std::chrono::milliseconds open_timeout{10'000};
  std::chrono::milliseconds write_timeout{30'000};
  // Encoded bytes queued for one peer; server answers wait (in its ledger) above this.
  std::size_t max_queued_bytes_per_peer = 8 << 20;
};

class Service {
 public:
  // `store` answers other peers' wants; nullptr answers DONT_HAVE to everything.
  Service(Host& host, const BlockStore* store, ServiceConfig config = {});
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Picks up the bitswap peers identified so far and starts the timer loop.
  void start();
  Task<void> stop();

  // The block's verified bytes. Waits until some peer sends it (no bound of its own: wrap it
  // in with_timeout). Errors: the want's error (unsupported hash), cf::errc::cancelled when
  // the caller is cancelled or the service stops.
  Task<Result<Bytes>> get(const multiformats::Cid& cid, std::optional<multiformats::PeerId> preferred = {});
  // A block entered the store: peers whose ledgers want it get it.
  void block_added(const multiformats::Cid& cid);

  const Client& client() const { return client_; }
  const Server& server() const { return server_; }
  std::size_t peer_count() const { return peers_.size(); }

 private:
  struct Waiter {
    Waiter(const asio::any_io_executor& executor, multiformats::Cid wanted) : cid(std::move(wanted)), ready(executor) {}
    multiformats::Cid cid;
    Signal ready;
    std::optional<Bytes> data;
    std::size_t held = 0;  // bytes of this copy the client counts as held (one copy per block)
  };
  struct Peer {
    Peer(std::shared_ptr<Connection> c, const asio::any_io_executor& executor)
        : connection(std::move(c)), wake(executor) {}
    std::shared_ptr<Connection> connection;
    Signal wake;
    Bytes queued;  // framed messages not yet written
    bool open = false;
    bool done = false;
  };

  void on_event(const ConnectionEvent& event);
  void add_peer(const std::shared_ptr<Connection>& connection);
  Task<void> write_loop(std::shared_ptr<Peer> peer);
  Task<Status> open_and_write(Peer& peer);
  Task<void> serve(Stream stream);
  Task<Status> read_messages(Stream& stream, const multiformats::PeerId& peer);
  Task<void> tick_loop();
  void flush();
  void deliver();
  void queue(const Outgoing& out);
  // Ends a get(): releases what it held, withdraws the want if nobody else waits for it.
  void finish(std::list<Waiter>::iterator it);

  Host& host_;
  const BlockStore* store_;
  ServiceConfig config_;
  Client client_;
  Server server_;
  std::map<multiformats::PeerId, std::shared_ptr<Peer>> peers_;
  std::list<Waiter> waiters_;  // a list: get() holds an iterator to its entry
  Signal tick_;
  TaskSet tasks_;
  Subscription subscription_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace cf::p2p::bitswap
