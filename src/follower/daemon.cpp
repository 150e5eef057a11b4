#include "cf/follower/daemon.hpp"

#include <algorithm>
#include <csignal>
#include <ctime>
#include <optional>
#include <stop_token>

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cf/base/blocking.hpp"
#include "cf/base/log.hpp"
#include "cf/base/time_text.hpp"
#include "cf/cluster/topic.hpp"
#include "cf/follower/concurrency.hpp"
#include "cf/follower/crdt_follower.hpp"
#include "cf/follower/metrics.hpp"
#include "cf/follower/metrics_server.hpp"
#include "cf/follower/reconciler.hpp"
#include "cf/follower/rest_follower.hpp"
#include "cf/follower/status_view.hpp"
#include "cf/follower/systemd_notify.hpp"
#include "cf/follower/template_changes.hpp"
#include "cf/follower/template_loader.hpp"
#include "observer.hpp"
#include "cf/identity/identity.hpp"
#include "cf/kubo/client.hpp"
#include "cf/store/run_lock.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {
namespace {

using asio::experimental::as_tuple;

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

void log_template_origin(const LoadedTemplate& loaded) {
  auto log = log::get("config");
  if (loaded.from_cache) {
    log->warn("could not fetch the template: {}", loaded.fetch_error);
    log->warn("using the cached template from {} (fetched {} ago)", loaded.source,
              span_text(unix_now() - loaded.fetched_at));
  } else {
    log->info("template loaded from {}", loaded.source);
  }
  if (!loaded.env_applied.empty()) {
    log->info("overrides applied (flag > environment > template): {}", fmt::join(loaded.env_applied, ", "));
  }
  for (const auto& warning : loaded.tmpl.warnings) log->warn("{}", warning);
}

void log_following(const cluster::Template& t, const std::string& peer_id) {
  auto log = log::get("cluster");
  std::vector<std::string> trusted, peers;
  for (const auto& p : t.crdt.trusted_peers) trusted.push_back(p.to_string());
  if (t.crdt.trust_all) trusted.push_back("* (anyone)");
  for (const auto& a : t.cluster.peer_addresses) peers.push_back(a.to_string());
  log->info("follower peer ID: {}", peer_id);
  log->info("following cluster \"{}\": pubsub topic {}", t.crdt.cluster_name, cluster::pubsub_topic(t.crdt.cluster_name));
  log->info("trusted peers: {}", fmt::join(trusted, ", "));
  log->info("peer addresses: {}", fmt::join(peers, ", "));
  log->info("private network: {}", t.cluster.secret.empty() ? "off (no secret)" : "on (secret set)");
  if (t.cluster.leave_on_shutdown) {
    log->info("leave_on_shutdown is set in the template; followers ignore it (it would wipe local state)");
  }
}

Result<std::string> probe_kubo(kubo::Client& client) {
  CF_TRY_ASSIGN(info, client.id());
  return info.id.to_string();
}

// Everything `run` holds while it runs; destroyed in reverse order of construction.
struct Session {
  store::RunLock lock;
  store::Store store;
  LoadedTemplate loaded;
  identity::Identity identity;
  bool reloading = false;  // a SIGHUP reload is running; further SIGHUPs wait for it
};

// The flags of `run` that stand in for a template setting (flag > env > template > default).
cluster::FlagOverrides flag_overrides(const RunOptions& options) {
  cluster::FlagOverrides flags;
  if (!options.rest_api_url.empty()) flags.push_back({"CLUSTER_FOLLOW_RESTAPI_URL", "--rest-api", options.rest_api_url});
  return flags;
}

Result<Session> start(const ClusterPaths& paths, const RunOptions& options, const Getenv& getenv,
                      std::string& peer_id) {
  identity::EnvLookup id_env = [getenv](std::string_view n) { return getenv(n); };
  CF_TRY_ASSIGN(identity, identity::Identity::load_file(paths.identity_json, id_env));
  peer_id = identity.id().to_string();
  CF_TRY_ASSIGN(lock, store::RunLock::acquire(paths.dir));
  CF_TRY_ASSIGN(db, store::Store::open(paths.state_db, store::OpenMode::read_write));
  CF_TRY(db.set_meta(store::meta_key::cluster_name, paths.name));
  CF_TRY(db.set_meta(store::meta_key::peer_id, peer_id));
  CF_TRY_ASSIGN(loaded, load_template(paths, db, options.fetch, getenv, unix_now(), flag_overrides(options)));
  log_template_origin(loaded);
  return Session{std::move(lock), std::move(db), std::move(loaded), std::move(identity), false};
}

Status wait_kubo(const cluster::Template& t, const http::Auth& auth, const RunOptions& options) {
  kubo::ClientOptions kubo_options;
  kubo_options.endpoint = t.ipfshttp.node_endpoint;
  kubo_options.auth = auth;
  kubo_options.timeout = std::chrono::seconds(5);  // one probe; the wait loop retries
  kubo::Client client(kubo_options);
  KuboWaitOptions wait;
  wait.timeout = options.kubo_wait;
  auto address = t.ipfshttp.node_multiaddress.to_string();
  auto kubo_id = wait_for_kubo(address, [&] { return probe_kubo(client); }, wait, options.on_kubo_wait);
  if (options.on_kubo_ready) options.on_kubo_ready();
  if (!kubo_id) return kubo_id.error();
  log::get("ipfshttp")->info("Kubo is ready at {}: peer {}", address, *kubo_id);
  return ok();
}

// A reload is shorter than the start-up fetch (2 attempts of at most 10 s); a shutdown
// meanwhile cancels it within about a second.
cluster::FetchOptions reload_fetch_options(cluster::FetchOptions fetch, std::stop_token cancel) {
  fetch.attempts = std::min(fetch.attempts, 2);
  fetch.timeout = std::min<std::chrono::milliseconds>(fetch.timeout, std::chrono::seconds(10));
  fetch.cancel = std::move(cancel);
  return fetch;
}

// What runs after start-up; members are destroyed in reverse order, the pool after the
// components that post to it have stopped.
struct Running {
  asio::io_context io;
  asio::thread_pool pool;
  asio::signal_set signals{io, SIGINT, SIGTERM, SIGHUP};
  SystemdNotifier notifier;
  Metrics metrics;
  Reconciler reconciler;
  std::optional<RestFollower> rest;
  std::unique_ptr<CrdtFollower> crdt;
  Observer observer;
  std::unique_ptr<MetricsServer> metrics_server;
  asio::cancellation_signal watchdog_cancel;
  std::stop_source cancel;  // cuts blocking HTTP on the pool (a template reload) at shutdown
  bool stopping = false;
  std::optional<Error> fatal;  // why the daemon stopped by itself (state.db deleted); run fails with it

  Running(Session& session, std::size_t threads, ReconcilerConfig config, std::chrono::seconds max_source_silence)
      : pool(threads),
        reconciler(io, pool, session.store, with_metrics(std::move(config), metrics)),
        observer(io, session.store, reconciler, metrics, notifier, max_source_silence, [this](Error e) {
          if (!fatal) fatal = std::move(e);
          stop();
        }) {}

  static ReconcilerConfig with_metrics(ReconcilerConfig config, Metrics& m) {
    config.metrics = &m;
    return config;
  }

  void stop() {
    if (stopping) return;
    stopping = true;
    if (auto s = notifier.stopping(); !s) log::get("cluster")->debug("sd_notify: {}", s.error().message());
    // The source first, so that no new pinset change arrives while the reconciler winds down.
    if (rest) rest->stop();
    if (crdt) {
      asio::co_spawn(io, crdt->stop(), [](std::exception_ptr e) {
        if (e) log::get("cluster")->error("stopping the libp2p source failed unexpectedly");
      });
    }
    // io.run() returns only once this has: every pin, unpin and verify task has ended and the
    // last statuses are written.
    asio::co_spawn(io, reconciler.stop(), [](std::exception_ptr e) {
      if (e) log::get("cluster")->critical("stopping the reconciler failed unexpectedly");
    });
    cancel.request_stop();
    observer.stop();
    if (metrics_server) metrics_server->stop();
    watchdog_cancel.emit(asio::cancellation_type::terminal);
    signals.cancel();
  }
};

// Applies what the running daemon can take over (the REST source's settings) and names every
// other change as needing a restart.
void apply_reload(Running& running, const cluster::Template& before, const cluster::Template& after) {
  auto log = log::get("config");
  auto changes = template_changes(before, after);
  bool rest_changed = false;
  for (const auto& change : changes) {
    if (change.applied) {
      rest_changed = true;
      log->info("{}", describe(change));
    } else {
      log->warn("{}", describe(change));
    }
  }
  if (rest_changed && running.rest && after.rest_api) {
    running.rest->reconfigure(*after.rest_api);
    running.observer.set_max_source_silence(
        std::chrono::duration_cast<std::chrono::seconds>(10 * after.rest_api->poll_interval));
  }
  log->info("{}", changes.empty() ? "template reloaded; no setting in use changed" : "template reloaded");
}

// Re-fetches the template on the worker pool, so the network thread never blocks on HTTP;
// the store is only touched back on the network thread, which owns it.
asio::awaitable<void> reload_template(Running& running, Session& session, const ClusterPaths& paths,
                                      const RunOptions& options, const Getenv& getenv) {
  auto fetch = reload_fetch_options(options.fetch, running.cancel.get_token());
  auto fetched = co_await run_blocking(running.pool, [&] { return fetch_template_text(paths, fetch); });
  if (running.stopping) co_return;
  auto log = log::get("config");
  auto reloaded = fetched ? finish_template_load(std::move(*fetched), session.store, getenv, unix_now(),
                                                 flag_overrides(options))
                          : Result<LoadedTemplate>(fetched.error());
  if (!reloaded) {
    log->error("template reload failed, keeping the current template: {}", reloaded.error().message());
    co_return;
  }
  log_template_origin(*reloaded);
  auto before = std::move(session.loaded.tmpl);
  session.loaded = std::move(*reloaded);
  apply_reload(running, before, session.loaded.tmpl);
}

asio::awaitable<void> handle_signals(Running& running, Session& session, const ClusterPaths& paths,
                                     const RunOptions& options, const Getenv& getenv) {
  for (;;) {
    auto [ec, signal] = co_await running.signals.async_wait(as_tuple(asio::use_awaitable));
    if (ec) co_return;
    if (signal != SIGHUP) {
      log::get("cluster")->info("received {}, shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
      running.stop();
      co_return;
    }
    if (session.reloading) {
      log::get("config")->info("received SIGHUP while a reload is running; ignored");
      continue;
    }
    log::get("config")->info("received SIGHUP, reloading the template");
    session.reloading = true;
    if (auto s = running.notifier.reloading(); !s) log::get("config")->debug("sd_notify: {}", s.error().message());
    // Spawned apart, so that SIGINT/SIGTERM are still handled while it runs.
    asio::co_spawn(running.io, reload_template(running, session, paths, options, getenv),
                   [&session, &running](std::exception_ptr e) {
                     if (e) log::get("config")->error("template reload failed unexpectedly");
                     session.reloading = false;
                     if (auto s = running.notifier.ready(); !s) log::get("config")->debug("sd_notify: {}", s.error().message());
                   });
  }
}

// Every co_spawn gets this: an escaped exception is a bug; log it and stop the daemon.
auto stop_on_exception(Running& running, const char* what) {
  return [&running, what](std::exception_ptr e) {
    if (!e) return;
    log::get("cluster")->critical("{} stopped by an unexpected exception; shutting down", what);
    running.stop();
  };
}

ReconcilerConfig reconciler_config(const Session& session, const ClusterPaths& paths, const std::string& peer_id,
                                   const http::Auth& auth) {
  const auto& t = session.loaded.tmpl;
  ReconcilerConfig config{*multiformats::PeerId::parse(peer_id), paths.name};
  config.kubo.endpoint = t.ipfshttp.node_endpoint;
  config.kubo.auth = auth;
  config.kubo.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(t.ipfshttp.ipfs_request_timeout);
  config.concurrent_pins = t.stateless.concurrent_pins;  // clamped by the reconciler, with a warning
  config.pin_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(t.ipfshttp.pin_timeout);
  config.unpin_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(t.ipfshttp.unpin_timeout);
  config.verify_interval = std::max(std::chrono::seconds(10), std::chrono::duration_cast<std::chrono::seconds>(
                                                                  t.cluster.pin_recover_interval));
  config.unpin_disable = t.ipfshttp.unpin_disable;
  config.config_root = paths.dir.parent_path();
  return config;
}

Status start_metrics_server(Running& running, const RunOptions& options) {
  if (options.metrics_listen.empty()) return ok();
  CF_TRY_ASSIGN(endpoint, parse_listen_address(options.metrics_listen));
  auto health = [&running] { return running.observer.health(); };
  CF_TRY_ASSIGN(server, MetricsServer::bind(running.io.get_executor(), endpoint, running.metrics, health));
  running.metrics_server = std::move(server);
  log::get("cluster")->info("metrics on http://{}/metrics, health on /health",
                            options.metrics_listen);
  asio::co_spawn(running.io, running.metrics_server->run(), stop_on_exception(running, "the metrics server"));
  return ok();
}

}  // namespace

Status run_daemon(const ClusterPaths& paths, const RunOptions& options, const Getenv& getenv) {
  // SIGHUP during start-up would kill the process; the template is being loaded anyway.
  // SIGINT/SIGTERM keep their default action until the loop runs: nothing started needs a
  // clean stop (the store is transactional, the kernel drops the lock).
  std::signal(SIGHUP, SIG_IGN);
  std::string peer_id;
  CF_TRY_ASSIGN(session, start(paths, options, getenv, peer_id));
  CF_TRY_ASSIGN(kubo_auth, kubo_auth_from_env(getenv));
  CF_TRY(wait_kubo(session.loaded.tmpl, kubo_auth, options));
  log_following(session.loaded.tmpl, peer_id);

  auto config = reconciler_config(session, paths, peer_id, kubo_auth);
  // --rest-api went into the template as an override, validated like any template value.
  auto rest = session.loaded.tmpl.rest_api;
  // /health turns unhealthy when the source has not synced (REST: for ten poll intervals;
  // libp2p: neither in sync nor making progress for ten rebroadcast intervals, at least 10 min).
  auto max_silence = std::chrono::duration_cast<std::chrono::seconds>(
      rest ? 10 * rest->poll_interval
           : std::max<cluster::Duration>(10 * session.loaded.tmpl.crdt.rebroadcast_interval, std::chrono::minutes(10)));
  Running running(session, worker_threads, std::move(config), max_silence);
  running.metrics.set_template(session.loaded.fetched_at ? std::optional(session.loaded.fetched_at) : std::nullopt,
                               session.loaded.from_cache);
  CF_TRY(running.reconciler.start());
  CF_TRY(start_metrics_server(running, options));
  if (rest) {
    running.rest.emplace(running.io, running.pool, session.store, running.reconciler, running.metrics, *rest);
    CF_TRY(running.rest->start());
    asio::co_spawn(running.io, running.rest->run(), stop_on_exception(running, "the REST API source"));
  } else if (can_follow_over_libp2p(session.loaded.tmpl)) {
    running.crdt = std::make_unique<CrdtFollower>(running.io, session.store, running.reconciler, running.metrics,
                                                  session.identity, session.loaded.tmpl);
    CF_TRY(running.crdt->start());
    asio::co_spawn(running.io, running.crdt->run(), stop_on_exception(running, "the libp2p source"));
  } else {
    log::get("cluster")->warn(
        "no pinset source: the template names no trusted peers or no peer_addresses to follow over libp2p, and no "
        "REST API is configured (cluster_follow.rest_api or --rest-api). Kubo is kept in line with the pinset "
        "already stored.");
  }
  asio::co_spawn(running.io, running.reconciler.run(), stop_on_exception(running, "the reconciler"));
  asio::co_spawn(running.io, handle_signals(running, session, paths, options, getenv),
                 stop_on_exception(running, "the signal handler"));
  asio::co_spawn(running.io, running.observer.run(), stop_on_exception(running, "the observer"));
  if (auto s = running.notifier.ready(); !s) log::get("cluster")->warn("sd_notify: {}", s.error().message());
  asio::co_spawn(running.io, run_watchdog(running.notifier),
                 asio::bind_cancellation_slot(running.watchdog_cancel.slot(), stop_on_exception(running, "the watchdog")));
  log::get("cluster")->info("ready; waiting for SIGINT or SIGTERM (SIGHUP reloads the template)");
  running.io.run();
  running.pool.join();
  if (running.fatal) return *running.fatal;
  log::get("cluster")->info("stopped");
  return ok();
}

}  // namespace cf::follower
