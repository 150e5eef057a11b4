#include "cf/cluster/pinset_tracker.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

namespace cf::cluster {

std::size_t PinsetTracker::DigestHash::operator()(const Digest& d) const noexcept {
  std::size_t h;
  std::memcpy(&h, d.data(), sizeof h);  // already uniformly distributed
  return h;
}

Result<PinsetChanges> PinsetTracker::fetch(RestSource& source) {
  [[maybe_unused]] static const int sodium_ready = sodium_init();  // picks the fast BLAKE2b
  PinsetChanges changes;
  changes.first = lines_.empty();
  ++fetch_;
  auto status = source.stream_lines([&](std::string_view text, std::size_t number) {
    return take(source, text, number, changes);
  });
  if (!status) {
    // Lines of this fetch are remembered already, but their pins never reached the caller.
    forget();
    return status.error();
  }
  changes.removes = sweep();
  return changes;
}

Status PinsetTracker::take(RestSource& source, std::string_view text, std::size_t number, PinsetChanges& changes) {
  ++changes.pins;
  Digest digest;
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     nullptr, 0);
  auto known = lines_.find(digest);
  if (known != lines_.end()) {
    known->second.fetch = fetch_;  // seen twice in one fetch: the same pin, reported once
    return ok();
  }
  CF_TRY_ASSIGN(pin, source.parse_line(text, number));
  lines_.emplace(digest, Line{pin.cid, fetch_});
  changes.puts.push_back(std::move(pin));
  return ok();
}

std::vector<multiformats::Cid> PinsetTracker::sweep() {
  std::unordered_set<multiformats::Cid> gone;
  for (auto it = lines_.begin(); it != lines_.end();) {
    if (it->second.fetch == fetch_) {
      ++it;
      continue;
    }
    gone.insert(std::move(it->second.cid));
    it = lines_.erase(it);
  }
  // A CID whose line changed is still there, under its new line.
  if (!gone.empty()) {
    for (const auto& [digest, line] : lines_) gone.erase(line.cid);
  }
  std::vector<multiformats::Cid> removes(gone.begin(), gone.end());
  std::sort(removes.begin(), removes.end(),
            [](const auto& a, const auto& b) { return a.bytes() < b.bytes(); });
  return removes;
}

}  // namespace cf::cluster
