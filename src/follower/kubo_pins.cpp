#include "cf/follower/kubo_pins.hpp"

#include <mutex>
#include <vector>

#include "cf/base/blocking.hpp"

namespace cf::follower {

using multiformats::Cid;

// A few kubo::Clients shared by the pool's threads; each is used by one thread at a time.
class KuboRpcPins::Clients {
 public:
  explicit Clients(kubo::ClientOptions options) : options_(std::move(options)) {}

  // Runs `call` with a client of its own, on the calling (pool) thread.
  template <typename F>
  auto with_client(F&& call) {
    auto client = acquire();
    auto result = call(*client);
    release(std::move(client));
    return result;
  }

 private:
  std::unique_ptr<kubo::Client> acquire() {
    std::lock_guard lock(mutex_);
    if (idle_.empty()) return std::make_unique<kubo::Client>(options_);
    auto client = std::move(idle_.back());
    idle_.pop_back();
    return client;
  }
  void release(std::unique_ptr<kubo::Client> client) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(client));
  }

  kubo::ClientOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<kubo::Client>> idle_;
};

KuboRpcPins::KuboRpcPins(asio::thread_pool& pool, kubo::ClientOptions options, std::size_t max_streams)
    : pool_(pool),
      clients_(std::make_unique<Clients>(options)),
      streaming_(std::move(options)),
      runner_(std::make_unique<http::TransferRunner>(http::RunnerOptions{.max_concurrent = max_streams})) {}

KuboRpcPins::~KuboRpcPins() = default;

Task<Status> KuboRpcPins::id() {
  co_return co_await run_blocking(pool_, [this]() -> Status {
    return clients_->with_client([](kubo::Client& kubo) -> Status {
      CF_TRY(kubo.id());
      return ok();
    });
  });
}

Task<Result<std::optional<kubo::PinLookup>>> KuboRpcPins::pin_ls_one(Cid cid, kubo::PinLsType type) {
  co_return co_await run_blocking(
      pool_, [&] { return clients_->with_client([&](kubo::Client& kubo) { return kubo.pin_ls_one(cid, type); }); });
}

Task<Result<std::unordered_set<Cid>>> KuboRpcPins::pin_ls(kubo::PinLsType type) {
  co_return co_await run_blocking(pool_, [&]() -> Result<std::unordered_set<Cid>> {
    return clients_->with_client([&](kubo::Client& kubo) -> Result<std::unordered_set<Cid>> {
      std::unordered_set<Cid> pins;
      CF_TRY(kubo.pin_ls(type, [&](const kubo::PinEntry& entry) { pins.insert(entry.cid); }));
      return pins;
    });
  });
}

Task<Result<kubo::PinAddResult>> KuboRpcPins::pin_add(Cid cid, kubo::PinAddOptions options, std::stop_token stop) {
  options.on_progress = nullptr;
  options.keep_going = nullptr;  // the stop token takes the transfer off the runner instead
  co_return co_await streaming_.pin_add(*runner_, std::move(cid), std::move(options), std::move(stop));
}

Task<Status> KuboRpcPins::pin_update(Cid from, Cid to, std::chrono::milliseconds timeout) {
  co_return co_await run_blocking(pool_, [&] {
    return clients_->with_client([&](kubo::Client& kubo) { return kubo.pin_update(from, to, timeout); });
  });
}

Task<Result<kubo::PinRmResult>> KuboRpcPins::pin_rm(Cid cid, std::chrono::milliseconds timeout) {
  co_return co_await run_blocking(
      pool_, [&] { return clients_->with_client([&](kubo::Client& kubo) { return kubo.pin_rm(cid, timeout); }); });
}

Task<Status> KuboRpcPins::swarm_connect(multiformats::Multiaddr address, std::chrono::milliseconds timeout) {
  co_return co_await run_blocking(pool_, [&] {
    return clients_->with_client([&](kubo::Client& kubo) { return kubo.swarm_connect(address, timeout); });
  });
}

}  // namespace cf::follower
