#include "cf/follower/rest_follower.hpp"

#include <ctime>

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

#include "cf/base/blocking.hpp"
#include "cf/base/log.hpp"

namespace cf::follower {
namespace {

auto log() { return log::get("restsource"); }

}  // namespace

RestFollower::RestFollower(asio::io_context& io, asio::thread_pool& pool, store::Store& db, Reconciler& reconciler,
                           cluster::RestSourceConfig config)
    : pool_(pool), db_(db), reconciler_(reconciler), config_(std::move(config)), timer_(io) {}

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
  auto fetched = co_await run_blocking(pool_, [this] { return tracker_.fetch(*source_); });
  if (stopping_ || pending_) {
    tracker_.forget();  // cut short or from the old settings: applied nothing, remember nothing
    co_return;
  }
  if (!fetched) {
    log()->warn("reading the pinset failed: {}", fetched.error().message());
    if (auto s = db_.set_meta(meta_key::source_last_error, fetched.error().message()); !s) {
      log()->error("{}", s.error().message());
    }
    co_return;
  }
  const auto pins = fetched->pins;
  auto diff = to_apply(std::move(*fetched));
  if (!diff) {
    log()->error("reading the stored pinset: {}", diff.error().message());
    tracker_.forget();
    co_return;
  }
  if (!diff->puts.empty() || !diff->removes.empty()) {
    log()->info("pinset: {} pins, {} new or changed, {} removed", pins, diff->puts.size(), diff->removes.size());
  }
  if (auto applied = reconciler_.apply(*diff); !applied) {
    log()->error("applying the pinset change: {}", applied.error().message());
    tracker_.forget();  // unknown how much was written: compare with the store next time
    co_return;
  }
  auto now = std::to_string(static_cast<std::int64_t>(std::time(nullptr)));
  if (auto s = db_.set_meta(meta_key::source_last_sync, now); !s) log()->error("{}", s.error().message());
  if (auto s = db_.set_meta(meta_key::source_last_error, ""); !s) log()->error("{}", s.error().message());
}

Result<cluster::PinsetDiff> RestFollower::to_apply(cluster::PinsetChanges changes) {
  if (changes.first) {
    // The first poll of a run (or after a failure) sees the whole pinset: compare it with the
    // store, so a restart re-applies nothing that is already there.
    CF_TRY_ASSIGN(stored, reconciler_.desired_pinset());
    return cluster::diff(stored, changes.puts);
  }
  return cluster::PinsetDiff{.puts = std::move(changes.puts), .removes = std::move(changes.removes)};
}

}  // namespace cf::follower
