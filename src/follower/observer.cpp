#include "observer.hpp"

#include <ctime>

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "cf/base/log.hpp"
#include "cf/follower/source_meta.hpp"
#include "cf/follower/status_view.hpp"

namespace cf::follower {
namespace {

constexpr auto tick = std::chrono::seconds(1);
constexpr int systemd_status_every = 5;  // ticks

std::optional<std::int64_t> last_sync(store::Store& db) {
  auto text = db.get_meta(meta_key::source_last_sync);
  if (!text || !*text || (*text)->empty()) return std::nullopt;
  return std::strtoll((*text)->c_str(), nullptr, 10);
}

}  // namespace

Observer::Observer(asio::io_context& io, store::Store& db, Reconciler& reconciler, Metrics& metrics,
                   SystemdNotifier& notifier, std::chrono::seconds max_source_silence,
                   std::function<void(Error)> on_store_lost)
    : db_(db),
      reconciler_(reconciler),
      metrics_(metrics),
      notifier_(notifier),
      max_source_silence_(max_source_silence),
      on_store_lost_(std::move(on_store_lost)),
      progress_(ProgressReporter::default_options()),
      timer_(io) {}

void Observer::stop() {
  stopping_ = true;
  timer_.cancel();
}

asio::awaitable<void> Observer::run() {
  while (!stopping_) {
    observe_once();
    timer_.expires_after(tick);
    co_await timer_.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  }
  progress_.finish(ProgressReporter::Clock::now());
}

bool Observer::store_lost() {
  if (lost_) return true;
  auto checked = db_.check_file();
  if (checked || checked.error() != store::errc::file_replaced) return false;
  lost_ = true;
  health_ = Health{false, checked.error().message()};
  log::get("cluster")->critical("{}: stopping, so that no status is written where nobody will read it; a restart "
                                "creates a new state.db and re-reads the pinset from the source",
                                checked.error().message());
  if (on_store_lost_) on_store_lost_(checked.error());
  return true;
}

void Observer::observe_once() {
  if (store_lost()) return;
  auto counts = read_pin_counts(db_);
  if (!counts) {
    log::get("cluster")->warn("reading counts: {}", counts.error().message());
    return;
  }
  auto stats = reconciler_.stats();
  metrics_.set_pins_by_status(counts->by_status);
  metrics_.set_queue_length(QueueKind::pin, static_cast<std::int64_t>(stats.queued_new));
  metrics_.set_queue_length(QueueKind::retry, static_cast<std::int64_t>(stats.queued_retry));
  metrics_.set_queue_length(QueueKind::unpin, static_cast<std::int64_t>(stats.queued_unpin));
  metrics_.set_pins_in_flight(static_cast<std::int64_t>(stats.pins_in_flight + stats.unpins_in_flight));
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  auto synced = last_sync(db_);
  if (synced) {
    metrics_.set_last_sync(*synced);
    metrics_.set_source_lag(std::chrono::seconds(std::max<std::int64_t>(0, now - *synced)));
  }

  ProgressSnapshot snap;
  snap.pins_done = counts->of("pinned");
  snap.pins_total = counts->pins - counts->of("remote") - counts->of("sharded");
  snap.bytes = static_cast<std::int64_t>(stats.bytes_pinned);
  snap.in_flight = static_cast<std::int64_t>(stats.pins_in_flight);
  snap.errors = counts->of("pin_error") + counts->of("unpin_error");
  progress_.update(snap, ProgressReporter::Clock::now());

  if (!stats.write_error.empty()) health_ = Health{false, "degraded: cannot write state.db: " + stats.write_error};
  else if (stats.kubo_down) health_ = Health{false, "Kubo is not answering"};
  else if (synced && std::chrono::seconds(now - *synced) > max_source_silence_)
    health_ = Health{false, fmt::format("the pinset source has not synced for {} s", now - *synced)};
  else health_ = Health{true, {}};

  if (++ticks_ % systemd_status_every == 1) {
    auto line = fmt::format("pinned {}/{}, queued {}, in flight {}, errors {}{}{}", snap.pins_done, snap.pins_total,
                            stats.queued_new + stats.queued_retry + stats.queued_unpin, snap.in_flight, snap.errors,
                            stats.kubo_down ? "; Kubo not answering" : "",
                            stats.write_error.empty() ? "" : "; cannot write state.db");
    if (auto s = notifier_.status(line); !s) log::get("cluster")->debug("sd_notify: {}", s.error().message());
  }
}

}  // namespace cf::follower
