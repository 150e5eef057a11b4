// `run`: the follower daemon's start-up sequence and main loop.
//
// Order (each step's failure ends `run` with an error naming what failed):
//   1. load identity.json (CLUSTER_ID / CLUSTER_PRIVATEKEY applied);
//   2. take the single-instance lock (fail fast: before any slow step);
//   3. open state.db (read_write: create, check, migrate);
//   4. load the template (fetch with retries, else the cached copy with a warning), validate,
//      apply CLUSTER_* overrides;
//   5. wait for Kubo's API with a countdown;
//   6. log what it follows; run the main loop until SIGINT/SIGTERM; SIGHUP reloads the template.
// Pinset sources (REST API, CRDT over libp2p) arrive with later issues: until then the loop
// says plainly that it does not follow the pinset, and pins nothing.
//
// Threads: everything runs on the calling thread's io_context except blocking HTTP (template
// reload), which runs on a one-thread pool the daemon owns; shutdown joins it.
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
};

// Runs until a termination signal (ok) or a start-up failure (the error).
Status run_daemon(const ClusterPaths& paths, const RunOptions& options, const Getenv& getenv);

}  // namespace cf::follower
