#include "cf/cluster/pinset_tracker.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <unordered_set>

#include "cf/base/log.hpp"
#include "cf/base/printable.hpp"

namespace cf::cluster {
namespace {

constexpr std::size_t max_logged_per_fetch = 10;  // bad or capped lines logged in one fetch

auto log() { return log::get("restsource"); }

std::array<std::uint8_t, 16> digest_of(ByteView bytes) {
  std::array<std::uint8_t, 16> d;
  crypto_generichash(d.data(), d.size(), bytes.data(), bytes.size(), nullptr, 0);
  return d;
}

}  // namespace

struct PinsetTracker::Fetch {
  RestSource& source;
  const PutsSink& sink;
  std::size_t batch_size;
  PinsetChanges changes{};
  std::vector<Pin> batch{};
  std::size_t logged = 0;

  bool may_log() { return logged++ < max_logged_per_fetch; }

  Status hand_over() {
    if (batch.empty()) return ok();
    auto full = std::move(batch);
    batch = {};
    return sink(std::move(full));
  }
};

bool CidSet::contains(const multiformats::Cid& cid) const {
  return std::binary_search(digests_.begin(), digests_.end(), digest_of(cid.bytes()));
}

std::size_t PinsetTracker::DigestHash::operator()(const Digest& d) const noexcept {
  std::size_t h;
  std::memcpy(&h, d.data(), sizeof h);  // already uniformly distributed
  return h;
}

Result<PinsetChanges> PinsetTracker::fetch(RestSource& source) {
  std::vector<Pin> all;
  auto changes = fetch(source, [&all](std::vector<Pin>&& puts) {
    std::move(puts.begin(), puts.end(), std::back_inserter(all));
    return ok();
  });
  if (changes) changes->puts = std::move(all);
  return changes;
}

Result<PinsetChanges> PinsetTracker::fetch(RestSource& source, const PutsSink& on_puts, std::size_t batch) {
  [[maybe_unused]] static const int sodium_ready = sodium_init();  // picks the fast BLAKE2b
  Fetch f{source, on_puts, std::max<std::size_t>(batch, 1)};
  f.changes.first = lines_.empty();
  ++fetch_;
  auto status = source.stream_lines([&](std::string_view text, std::size_t number) { return take(f, text, number); },
                                    [&](std::size_t number) { return take_overlong(f, number); });
  if (status) status = f.hand_over();
  if (!status) {
    // Lines of this fetch are remembered already, but their pins never reached the caller.
    forget();
    return status.error();
  }
  if (f.logged > max_logged_per_fetch) {
    log()->warn("{}: {} more bad or cut pins in this fetch were not logged one by one", source.url(),
                f.logged - max_logged_per_fetch);
  }
  f.changes.removes = sweep(f.changes.removes_withheld);
  return std::move(f.changes);
}

Status PinsetTracker::take(Fetch& f, std::string_view text, std::size_t number) {
  ++f.changes.pins;
  auto digest = digest_of(as_bytes(text));
  auto known = lines_.find(digest);
  if (known != lines_.end()) {
    known->second.fetch = fetch_;  // seen twice in one fetch: the same pin, reported once
    if (known->second.cid.empty()) f.changes.removes_withheld = true;
    return ok();
  }
  auto pin = f.source.parse_line(text, number);
  if (!pin) {
    skip(f, digest, inspect_bad_pin_json(text), pin.error().message());
    return ok();
  }
  auto capped = cap_pin_fields(*pin);
  f.changes.capped_names += capped.name ? 1 : 0;
  f.changes.capped_metadata += capped.metadata ? 1 : 0;
  if (capped.any() && f.may_log()) {
    log()->warn("{}: line {}: pin {}: {}{}{} over the follower's cap, cut (name {} bytes, metadata {} bytes at most)",
                f.source.url(), number, pin->cid.to_string(), capped.name ? "name" : "",
                capped.name && capped.metadata ? " and " : "", capped.metadata ? "metadata" : "", max_pin_name_size,
                max_pin_metadata_size);
  }
  lines_.emplace(digest, Line{pin->cid.bytes(), fetch_});
  ++f.changes.put_count;
  f.batch.push_back(std::move(*pin));
  if (f.batch.size() >= f.batch_size) return f.hand_over();
  return ok();
}

Status PinsetTracker::take_overlong(Fetch& f, std::size_t number) {
  ++f.changes.pins;
  ++f.changes.skipped[static_cast<std::size_t>(BadPinReason::too_large)];
  f.changes.removes_withheld = true;  // its bytes, and so its CID, are gone
  if (f.may_log()) {
    log()->warn("{}: skipping line {}: too_large: longer than {} bytes; no CID is unpinned while it is there",
                f.source.url(), number, f.source.config().max_line);
  }
  return ok();
}

void PinsetTracker::skip(Fetch& f, const Digest& digest, const BadPin& bad, const std::string& why) {
  ++f.changes.skipped[static_cast<std::size_t>(bad.reason)];
  if (!bad.cid) f.changes.removes_withheld = true;
  if (f.may_log()) {
    log()->warn("skipping a bad pin, reason {}{}: {}{}", to_string(bad.reason),
                bad.cid ? " (" + bad.cid->to_string() + ", the version stored before is kept)" : std::string(),
                printable(why, 512),
                bad.cid ? std::string() : std::string("; no CID is unpinned while this line is in the pinset"));
  }
  // Remembered, so it is counted once; with its CID, so that CID is not reported removed.
  lines_.emplace(digest, Line{bad.cid ? bad.cid->bytes() : Bytes{}, fetch_});
}

std::vector<multiformats::Cid> PinsetTracker::sweep(bool withheld) {
  // Withheld: lines not seen stay remembered, as not seen, so a later fetch without the
  // unreadable line reports them.
  if (withheld) return {};
  std::unordered_set<std::string> gone;  // CID bytes
  for (auto it = lines_.begin(); it != lines_.end();) {
    if (it->second.fetch == fetch_) {
      ++it;
      continue;
    }
    if (!it->second.cid.empty()) gone.insert(cf::to_string(it->second.cid));
    it = lines_.erase(it);
  }
  // A CID whose line changed is still there, under its new line.
  if (!gone.empty()) {
    for (const auto& [digest, line] : lines_) {
      if (!line.cid.empty()) gone.erase(cf::to_string(line.cid));
    }
  }
  std::vector<std::string> sorted(gone.begin(), gone.end());
  std::sort(sorted.begin(), sorted.end());  // by bytes
  std::vector<multiformats::Cid> removes;
  for (const auto& bytes : sorted) {
    if (auto cid = multiformats::Cid::from_bytes(as_bytes(bytes))) removes.push_back(std::move(*cid));
  }
  return removes;
}

CidSet PinsetTracker::cids() const {
  CidSet set;
  set.digests_.reserve(lines_.size());
  for (const auto& [digest, line] : lines_) {
    if (!line.cid.empty()) set.digests_.push_back(digest_of(line.cid));
  }
  std::sort(set.digests_.begin(), set.digests_.end());
  set.digests_.erase(std::unique(set.digests_.begin(), set.digests_.end()), set.digests_.end());
  return set;
}

}  // namespace cf::cluster
