// The typed accessors of the foundation: `meta` and `template_cache`.
#include "cf/store/store.hpp"

namespace cf::store {

Result<std::optional<std::string>> Store::get_meta(std::string_view key) {
  CF_TRY_ASSIGN(st, prepare("SELECT value FROM meta WHERE key = ?1"));
  st.bind(1, key);
  CF_TRY_ASSIGN(row, st.step());
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{st.column_text(0)};
}

Status Store::set_meta(std::string_view key, std::string_view value) {
  CF_TRY_ASSIGN(st, prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  return st.bind_all(key, value).run();
}

Status Store::save_template(std::string_view source, std::string_view body,
                            std::int64_t fetched_at, const HttpValidators& validators) {
  CF_TRY_ASSIGN(st, prepare("INSERT INTO template_cache "
                            "(source, body, fetched_at, etag, last_modified) "
                            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (source) DO UPDATE SET "
                            "body = excluded.body, fetched_at = excluded.fetched_at, "
                            "etag = excluded.etag, last_modified = excluded.last_modified"));
  return st.bind_all(source, body, fetched_at, validators.etag, validators.last_modified).run();
}

Result<std::optional<CachedTemplate>> Store::load_template(std::string_view source) {
  CF_TRY_ASSIGN(st, prepare("SELECT body, fetched_at, etag, last_modified "
                            "FROM template_cache WHERE source = ?1"));
  st.bind(1, source);
  CF_TRY_ASSIGN(row, st.step());
  if (!row) return std::optional<CachedTemplate>{};
  CachedTemplate cached;
  cached.body = st.column_text(0);
  cached.fetched_at = st.column_int(1);
  cached.validators.etag = st.column_optional_text(2);
  cached.validators.last_modified = st.column_optional_text(3);
  return std::optional<CachedTemplate>{std::move(cached)};
}

}  // namespace cf::store
