#include "cf/follower/rest_follower.hpp"

#include <ctime>
#include <future>
#include <memory>

#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>

#include "cf/base/blocking.hpp"
#include "cf/base/errc.hpp"
#include "cf/base/log.hpp"

namespace cf::follower {
namespace {

auto log() { return log::get("restsource"); }

}  // namespace

RestFollower::RestFollower(asio::io_context& io, asio::thread_pool& pool, store::Store& db, Reconciler& reconciler,
                           Metrics& metrics, cluster::RestSourceConfig config)
    : io_(io),
      pool_(pool),
      db_(db),
      reconciler_(reconciler),
      metrics_(metrics),
      config_(std::move(config)),
      timer_(io) {}

Status RestFollower::start() {
  CF_TRY(open_source());
  if (auto s = db_.set_meta(meta_key::source_kind, "rest"); !s) log()->error("{}", s.error().message());
  return ok();
}

Status RestFollower::open_source() {
  // A fresh stop source per RestSource: the old one's token stays stopped in the old client.
  std::stop_source cancel;
  CF_TRY_ASSIGN(source, cluster::RestSource::create(config_, http::ClientOptions{.cancel = cancel.get_token()}));
  source_.emplace(std::move(source));
  cancel_ = std::move(cancel);
  log()->info("following the pinset through the REST API at {} every {} s", config_.url,
              std::chrono::duration_cast<std::chrono::seconds>(config_.poll_interval).count());
  return ok();
}

void RestFollower::stop() {
  stopping_ = true;
  cancel_.request_stop();  // a poll in progress ends within about a second, its result discarded
  timer_.cancel();
}

void RestFollower::reconfigure(cluster::RestSourceConfig config) {
  pending_ = std::move(config);
  cancel_.request_stop();  // the poll in progress used the old settings: discard it
  timer_.cancel();         // and poll with the new ones now
}

void RestFollower::take_pending() {
  auto previous = std::move(config_);
  config_ = std::move(*pending_);
  pending_.reset();
  if (auto opened = open_source(); !opened) {
    // The template was validated, so this is unexpected; the old settings keep working.
    log()->error("keeping the previous REST API settings: {}", opened.error().message());
    config_ = std::move(previous);
    (void)open_source();
  }
  tracker_.forget();  // the first poll from the new source compares with the store
}

asio::awaitable<void> RestFollower::run() {
  while (!stopping_) {
    if (pending_) take_pending();
    co_await poll_once();
    if (stopping_) break;
    if (pending_) continue;
    timer_.expires_after(config_.poll_interval);
    co_await timer_.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> RestFollower::poll_once() {
  // One poll at a time, so the source and the tracker are never used by two threads at once.
  const bool first = tracker_.size() == 0;
  applied_ = 0;
  auto fetched = co_await run_blocking(pool_, [this] {
    return tracker_.fetch(*source_, [this](std::vector<cluster::Pin>&& puts) { return hand_over(std::move(puts)); });
  });
  if (stopping_ || pending_) {
    tracker_.forget();  // cut short or from the old settings: remember nothing, the next poll compares it all
    co_return;
  }
  if (!fetched) {
    log()->warn("reading the pinset failed: {}", fetched.error().message());
    if (auto s = db_.set_meta(meta_key::source_last_error, fetched.error().message()); !s) {
      log()->error("{}", s.error().message());
    }
    co_return;
  }
  count(*fetched);
  auto removes = removes_of(*fetched, first);
  if (!removes) {
    log()->error("reading the stored pinset: {}", removes.error().message());
    tracker_.forget();
    co_return;
  }
  if (applied_ > 0 || !removes->empty()) {
    log()->info("pinset: {} pins, {} new or changed, {} removed", fetched->pins, applied_, removes->size());
  }
  if (!removes->empty()) {
    if (auto applied = reconciler_.apply(cluster::PinsetDiff{.puts = {}, .removes = std::move(*removes)}); !applied) {
      log()->error("applying the pinset change: {}", applied.error().message());
      tracker_.forget();  // unknown how much was written: compare with the store next time
      co_return;
    }
  }
  auto now = std::to_string(static_cast<std::int64_t>(std::time(nullptr)));
  if (auto s = db_.set_meta(meta_key::source_last_sync, now); !s) log()->error("{}", s.error().message());
  if (auto s = db_.set_meta(meta_key::source_last_error, ""); !s) log()->error("{}", s.error().message());
}

Status RestFollower::hand_over(std::vector<cluster::Pin> puts) {
  if (stopping_) return Error(errc::cancelled, "shutting down");
  auto done = std::make_shared<std::promise<Result<std::size_t>>>();
  auto written = done->get_future();
  asio::post(io_, [this, done, puts = std::move(puts)]() mutable {
    // A failed batch fails the poll: the tracker forgets, and the next poll compares again.
    done->set_value(reconciler_.apply_changed(std::move(puts)));
  });
  // Polled, so that a shutdown (the io_context may stop running handlers) never leaves this
  // pool thread waiting.
  while (written.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    if (stopping_) return Error(errc::cancelled, "shutting down");
  }
  CF_TRY_ASSIGN(n, written.get());
  applied_ += n;  // the io_context's thread wrote it; the future orders the accesses
  return ok();
}

Result<std::vector<multiformats::Cid>> RestFollower::removes_of(cluster::PinsetChanges& changes, bool first) {
  if (changes.removes_withheld) {
    log()->warn("the pinset has a line whose CID cannot be read: nothing is unpinned until it is fixed or gone");
    // A first poll's removes come from the store: compare again next time.
    if (first) tracker_.forget();
    return std::vector<multiformats::Cid>{};
  }
  if (!first) return std::move(changes.removes);
  // The first poll of a run: stored pins that no line carried.
  auto carried = tracker_.cids();
  std::vector<multiformats::Cid> removes;
  CF_TRY(reconciler_.for_each_desired_cid([&](multiformats::Cid cid) {
    if (!carried.contains(cid)) removes.push_back(std::move(cid));
  }));
  return removes;
}

void RestFollower::count(const cluster::PinsetChanges& changes) {
  for (auto reason : {cluster::BadPinReason::malformed, cluster::BadPinReason::invalid_cid,
                      cluster::BadPinReason::invalid_field, cluster::BadPinReason::too_large}) {
    if (auto n = changes.skipped[static_cast<std::size_t>(reason)]; n > 0) {
      metrics_.count_skipped_pins(cluster::to_string(reason), n);
    }
  }
  if (changes.capped_names > 0) metrics_.count_capped_pins("name", changes.capped_names);
  if (changes.capped_metadata > 0) metrics_.count_capped_pins("metadata", changes.capped_metadata);
  if (auto n = changes.skipped_total(); n > 0) {
    log()->warn("pinset: {} bad pins skipped in this poll (see the lines above; metric "
                "cluster_follow_pins_skipped_total)",
                n);
  }
}

}  // namespace cf::follower
