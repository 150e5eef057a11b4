// Two hosts of ours over loopback: a fetches blocks from b's store with many get()s in flight;
// a get() nobody can answer ends at its caller's timeout and withdraws its want; a block added
// to b's store later is sent to a peer that wanted it (b's ledger).
#include "cf/p2p/bitswap/service.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include "cf/base/log.hpp"
#include "cf/multiformats/multicodec.hpp"
#include "cf/p2p/identify/service.hpp"
#include "p2p/bitswap/memory_block_store.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;

mf::Cid raw_cid(const Bytes& data) { return mf::Cid::v1(mf::multicodec::raw, mf::Multihash::sha2_256(data)); }

Bytes block_bytes(int i) {
  Bytes data(100 + static_cast<std::size_t>(i % 50));
  for (std::size_t j = 0; j < data.size(); ++j) data[j] = static_cast<std::uint8_t>(i * 31 + j);
  return data;
}

// Coroutines spawned into a TaskSet take what they use as parameters: a capturing lambda's
// closure would be gone before the coroutine runs.
Task<void> fetch_expecting(Service& service, mf::Cid cid, Bytes expected, int& got, int& running, Signal& done) {
  auto data = co_await with_timeout(service.get(cid), 10s, "get");
  if (data && *data == expected) ++got;
  --running;
  done.notify();
}

Task<void> fetch_into(Service& service, mf::Cid cid, std::optional<Result<Bytes>>& result) {
  result.emplace(co_await with_timeout(service.get(cid), 10s, "get"));
}

struct Pair {
  asio::io_context io;
  MemoryBlockStore store;
  Host a{io.get_executor(), config()};
  Host b{io.get_executor(), config()};
  identify::Service id_a{a};
  identify::Service id_b{b};
  Service swap_a{a, nullptr};
  Service swap_b{b, &store};
  TaskSet tasks{io.get_executor(), log::get("test")};

  static HostConfig config() {
    return HostConfig{.identity = identity::Identity::generate(),
                      .psk = std::nullopt,
                      .listen_addrs = {*mf::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")}};
  }
  void run(std::function<Task<void>()> body) {
    ASSERT_TRUE(b.start());
    swap_a.start();
    swap_b.start();
    bool finished = false;
    asio::co_spawn(io, [&]() -> Task<void> {
      auto c = co_await a.connect(b.listen_addrs().at(0).with_peer_id(b.id()));
      EXPECT_TRUE(c);
      for (int i = 0; i < 200 && (swap_a.peer_count() == 0 || swap_b.peer_count() == 0); ++i) {
        co_await cf::detail::sleep_for(10ms);
      }
      co_await body();
      tasks.cancel();
      co_await tasks.wait_idle();
      co_await swap_a.stop();
      co_await swap_b.stop();
      co_await id_a.stop();
      co_await id_b.stop();
      co_await a.stop(2s);
      co_await b.stop(2s);
      finished = true;
    }, asio::detached);
    io.run_for(30s);
    EXPECT_TRUE(finished);
  }
};

TEST(BitswapService, FetchesManyBlocksAtOnceEachVerified) {
  Pair p;
  std::vector<mf::Cid> cids;
  for (int i = 0; i < 2000; ++i) {
    auto data = block_bytes(i);
    cids.push_back(raw_cid(data));
    p.store.put(cids.back(), data);
  }
  p.run([&]() -> Task<void> {
    int got = 0;
    int running = 0;
    Signal done(p.io.get_executor());
    for (int i = 0; i < 2000; ++i) {
      ++running;
      p.tasks.spawn(fetch_expecting(p.swap_a, cids[static_cast<std::size_t>(i)], block_bytes(i), got, running, done),
                    "get");
    }
    while (running > 0) co_await done.wait();
    EXPECT_EQ(got, 2000);
    EXPECT_EQ(p.swap_a.client().counters().blocks_received, 2000u);
    EXPECT_EQ(p.swap_a.client().held_bytes(), 0u) << "every delivered block was released";
    EXPECT_EQ(p.swap_a.client().want_count(), 0u);
    // Far fewer messages than blocks: the wants went out in windows, not one per round trip.
    EXPECT_GE(p.swap_b.server().counters().blocks_sent, 2000u);
  });
}

TEST(BitswapService, AGetNobodyAnswersEndsAtItsTimeoutAndWithdrawsTheWant) {
  Pair p;
  const auto missing = raw_cid(block_bytes(99999));
  p.run([&]() -> Task<void> {
    auto data = co_await with_timeout(p.swap_a.get(missing), 300ms, "get");
    EXPECT_FALSE(data);
    if (!data) {
      EXPECT_EQ(data.error(), cf::errc::timed_out);
    }
    EXPECT_FALSE(p.swap_a.client().is_wanted(missing));
    EXPECT_EQ(p.swap_a.client().want_count(), 0u);
  });
}

TEST(BitswapService, ABlockAddedLaterReachesThePeerThatWantedIt) {
  Pair p;
  const auto data = block_bytes(7);
  const auto cid = raw_cid(data);
  p.run([&]() -> Task<void> {
    std::optional<Result<Bytes>> result;
    p.tasks.spawn(fetch_into(p.swap_a, cid, result), "get");
    for (int i = 0; i < 100 && p.swap_b.server().ledger_size(p.a.id()) == 0; ++i) co_await cf::detail::sleep_for(10ms);
    EXPECT_EQ(p.swap_b.server().ledger_size(p.a.id()), 1u) << "b keeps a's want";
    p.store.put(cid, data);
    p.swap_b.block_added(cid);
    for (int i = 0; i < 200 && !result; ++i) co_await cf::detail::sleep_for(10ms);
    EXPECT_TRUE(result && *result && **result == data);
  });
}

}  // namespace
}  // namespace cf::p2p::bitswap
