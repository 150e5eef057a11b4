// Loads the follower template for `run`: the source named in service.json is fetched (timeout,
// retries with backoff), validated, CLUSTER_* overrides applied and validated again; a good
// fetch replaces the copy cached in state.db. When the fetch fails, the cached copy is used and
// the result says so (DESIGN §5: upstream cannot start when its gateway hiccups).
// A fetched template that is invalid is an error, not a reason to use the cache: the cluster
// published something wrong and the user must hear about it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/cluster/env.hpp"
#include "cf/cluster/local_config.hpp"
#include "cf/cluster/source.hpp"
#include "cf/cluster/template.hpp"
#include "cf/follower/paths.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {

struct LoadedTemplate {
  cluster::Template tmpl;
  std::string source;                   // URL fetched, or "service.json" for an inline template
  bool from_cache = false;              // the fetch failed and the cached copy is in use
  std::int64_t fetched_at = 0;          // Unix seconds of the copy in use (0: inline)
  std::string fetch_error;              // why the fetch failed, when from_cache
  std::vector<std::string> env_applied; // names of CLUSTER_* variables (and flags) applied
};

// The network half of a load: reads service.json and, for a source, fetches the template
// text. Touches no store, so it can run on a worker thread while the store is in use.
struct FetchedTemplate {
  cluster::LocalConfig local;
  std::optional<Result<std::string>> body;  // set when local.source is used
};
Result<FetchedTemplate> fetch_template_text(const ClusterPaths& paths, const cluster::FetchOptions& fetch);

// The store half, on the thread that owns `store`: validates, caches a good copy, falls back to
// the cached copy when the fetch failed, applies CLUSTER_* overrides and then the flags in
// place of their variables (flag > env > template > default). `now` is the Unix time stamped
// on a newly fetched copy.
Result<LoadedTemplate> finish_template_load(FetchedTemplate fetched, store::Store& store, const Getenv& getenv,
                                            std::int64_t now, const cluster::FlagOverrides& flags = {});

// Both halves, in one go (start-up).
Result<LoadedTemplate> load_template(const ClusterPaths& paths, store::Store& store,
                                     const cluster::FetchOptions& fetch, const Getenv& getenv,
                                     std::int64_t now, const cluster::FlagOverrides& flags = {});

}  // namespace cf::follower
