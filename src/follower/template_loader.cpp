#include "cf/follower/template_loader.hpp"

#include "cf/base/log.hpp"
#include "cf/cluster/env.hpp"
#include "cf/cluster/local_config.hpp"

namespace cf::follower {
namespace {

Status apply_env(LoadedTemplate& loaded, const Getenv& getenv, const cluster::FlagOverrides& flags) {
  cluster::GetEnv lookup = [getenv](const std::string& name) { return getenv(name); };
  CF_TRY_ASSIGN(overrides, cluster::apply_env_overrides(loaded.tmpl, lookup, flags));
  loaded.env_applied = std::move(overrides.applied);
  for (const auto& name : overrides.ignored) {
    if (name.starts_with("CLUSTER_FOLLOW_RESTAPI_")) {
      log::get("config")->warn(
          "{} is set but no REST API is configured (cluster_follow.rest_api.url, CLUSTER_FOLLOW_RESTAPI_URL or "
          "--rest-api); ignored",
          name);
    } else {
      log::get("config")->warn("{} is set but its informer is not enabled by the template; ignored", name);
    }
  }
  return ok();
}

Result<LoadedTemplate> from_cache(store::Store& store, const std::string& url, const Error& fetch_error) {
  CF_TRY_ASSIGN(cached, store.load_template(url));
  if (!cached) return fetch_error;
  auto parsed = cluster::parse_template(cached->body);
  cluster::wipe_template_text(cached->body);  // it holds the cluster secret
  if (!parsed) {
    // Only valid templates are cached, so this is a copy written by another version.
    return Error(parsed.error().code(), fetch_error.message() + "; the cached copy is unusable:\n" +
                                            parsed.error().message());
  }
  LoadedTemplate loaded{std::move(*parsed), url, true, cached->fetched_at, fetch_error.message(), {}};
  return loaded;
}

Result<LoadedTemplate> validate_and_cache(const std::string& url, const Result<std::string>& body,
                                          store::Store& store, std::int64_t now) {
  if (!body) return from_cache(store, url, body.error());
  CF_TRY_ASSIGN(parsed, cluster::parse_template(*body));
  CF_TRY(store.save_template(url, *body, now));
  return LoadedTemplate{std::move(parsed), url, false, now, {}, {}};
}

}  // namespace

Result<FetchedTemplate> fetch_template_text(const ClusterPaths& paths, const cluster::FetchOptions& fetch) {
  CF_TRY_ASSIGN(local, cluster::load_local_config(paths.service_json));
  FetchedTemplate fetched{std::move(local), std::nullopt};
  if (!fetched.local.inline_template) fetched.body = cluster::fetch_template(fetched.local.source, fetch);
  return fetched;
}

Result<LoadedTemplate> finish_template_load(FetchedTemplate fetched, store::Store& store, const Getenv& getenv,
                                            std::int64_t now, const cluster::FlagOverrides& flags) {
  Result<LoadedTemplate> loaded =
      fetched.local.inline_template
          ? Result<LoadedTemplate>(LoadedTemplate{*fetched.local.inline_template, "service.json", false, 0, {}, {}})
          : validate_and_cache(fetched.local.source, *fetched.body, store, now);
  // The fetched text holds the cluster secret; the parsed Template wipes its own copies.
  if (fetched.body && *fetched.body) cluster::wipe_template_text(**fetched.body);
  if (!loaded) return loaded;
  CF_TRY(apply_env(*loaded, getenv, flags));
  return loaded;
}

Result<LoadedTemplate> load_template(const ClusterPaths& paths, store::Store& store,
                                     const cluster::FetchOptions& fetch, const Getenv& getenv,
                                     std::int64_t now, const cluster::FlagOverrides& flags) {
  CF_TRY_ASSIGN(fetched, fetch_template_text(paths, fetch));
  return finish_template_load(std::move(fetched), store, getenv, now, flags);
}

}  // namespace cf::follower
