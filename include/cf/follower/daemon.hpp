// `run`: the follower daemon's start-up sequence and main loop.
//
// Order (each step's failure ends `run` with an error naming what failed):
//   1. load identity.json (CLUSTER_ID / CLUSTER_PRIVATEKEY applied);
//   2. take the single-instance lock (fail fast: before any slow step);
//   3. open state.db (read_write: create, check, migrate);
//   4. load the template (fetch with retries, else the cached copy with a warning), validate,
//      apply CLUSTER_* overrides;
//   5. wait for Kubo's API with a countdown;
//   6. log what it follows; start the reconciler (which resumes the work state.db records) and
//      the pinset source, and run until SIGINT/SIGTERM; SIGHUP reloads the template.
// The pinset source is the cluster's REST API (cluster_follow.rest_api in the template, or
// --rest-api). The CRDT-over-libp2p source arrives with a later release: without a REST API
// the daemon says so plainly and only keeps Kubo in line with the pinset it already stored.
// SIGTERM cuts blocking HTTP in progress (a REST poll, a template reload) within about a
// second; SIGHUP applies the REST source's new settings and names every other changed setting
// as taking effect after a restart (template_changes.hpp).
//
// Threads: everything runs on the calling thread's io_context except blocking HTTP (Kubo
// requests, REST API polls, template reloads), which runs on a pool the daemon owns; shutdown
// stops the components, waits for them, then joins the pool.
#pragma once

#include <chrono>
#include <functional>

#include "cf/base/result.hpp"
#include "cf/cluster/source.hpp"
#include "cf/follower/kubo_wait.hpp"
#include "cf/follower/paths.hpp"

namespace cf::follower {

struct RunOptions {
  cluster::FetchOptions fetch;
  std::chrono::seconds kubo_wait{120};
  KuboWaitTick on_kubo_wait;               // countdown display; may be empty
  std::function<void()> on_kubo_ready;     // ends the countdown display; may be empty
  std::string rest_api_url;                // --rest-api: stands in for CLUSTER_FOLLOW_RESTAPI_URL (flag > env > template)
  std::string metrics_listen;              // --metrics host:port; empty: no metrics server
};

// Runs until a termination signal (ok) or a start-up failure (the error).
Status run_daemon(const ClusterPaths& paths, const RunOptions& options, const Getenv& getenv);

}  // namespace cf::follower
