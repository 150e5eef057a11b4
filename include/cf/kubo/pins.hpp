// Values exchanged with Kubo's pin and repo commands (kubo-rpc-and-lab.md A4, Kubo v0.42.0).
//
// Upstream facts followed: pin/add's `recursive` flag and ipfs-cluster's MaxDepth (-1 whole
// DAG, 0 root only); pin/add progress ticks {"Progress":nodes,"Bytes":bytes} (Bytes from Kubo
// 0.40); pin names (Kubo ≥ 0.26, at most 255 bytes since 0.38); pin/ls types, where a lookup by
// CID may answer "indirect through <cid>"; repo/stat's flat {RepoSize, StorageMax}.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/multiformats/cid.hpp"

namespace cf::kubo {

// A pin's type as Kubo reports it.
enum class PinType { recursive, direct, indirect };

std::string_view to_string(PinType type);

// Which pins pin_ls lists. `all` includes indirect pins: every block below every recursive pin.
enum class PinLsType { recursive, direct, all };

std::string_view to_string(PinLsType type);

// How deep pin/add goes, as ipfs-cluster's PinOptions.MaxDepth: negative = the whole DAG
// (recursive), 0 = the root block only (direct), N > 0 = sent as recursive=true&max-depth=N,
// exactly as upstream sends it. Kubo's pin/add has no max-depth option and silently drops it
// (A1), so N > 0 pins the whole DAG; the value is kept so that a Kubo that learns it works.
class PinMode {
 public:
  static constexpr PinMode recursive() { return PinMode(-1); }
  static constexpr PinMode direct() { return PinMode(0); }
  static constexpr PinMode max_depth(int depth) { return PinMode(depth < 0 ? -1 : depth); }

  constexpr int depth() const { return depth_; }
  constexpr bool is_recursive() const { return depth_ != 0; }
  constexpr bool is_limited() const { return depth_ > 0; }

  friend constexpr bool operator==(PinMode, PinMode) = default;

 private:
  constexpr explicit PinMode(int depth) : depth_(depth) {}
  int depth_;
};

// One pin/add progress tick. `bytes` is 0 before Kubo 0.40, which did not report it.
struct PinProgress {
  std::uint64_t nodes = 0;
  std::uint64_t bytes = 0;

  friend bool operator==(const PinProgress&, const PinProgress&) = default;
};

// Pin names longer than this are cut (at a UTF-8 character boundary); Kubo ≥ 0.38 refuses them.
inline constexpr std::size_t max_pin_name_bytes = 255;

struct PinAddOptions {
  PinMode mode = PinMode::recursive();
  // Kubo pin name (≥ 0.26; older Kubo drops unknown options); empty: none is sent. Upstream
  // never names pins; we do, to tell our pins from the user's (DESIGN §5).
  std::string name;
  // The no-progress timeout (cluster's pin_timeout, default 2m): the pin is cut when the
  // progress node count has not grown for this long, or nothing at all arrived for this long.
  // There is no overall cap: a big DAG that keeps fetching is never cut.
  std::chrono::milliseconds pin_timeout{std::chrono::minutes(2)};
  // Called for every progress tick, on the calling thread, while the pin runs.
  std::function<void(const PinProgress&)> on_progress;
  // Asked at every line Kubo sends (a tick comes every 500 ms); false stops the pin with
  // cf::errc::cancelled (shutdown). Empty: never stops.
  std::function<bool()> keep_going;
};

struct PinAddResult {
  std::vector<multiformats::Cid> pins;  // Kubo's final {"Pins":[...]}
  PinProgress progress;                 // the last tick seen (zero if none came)
};

struct PinRmResult {
  bool was_pinned = true;  // false: Kubo said "not pinned or pinned indirectly"
};

// One line of pin/ls?stream=true.
struct PinEntry {
  multiformats::Cid cid;
  PinType type = PinType::recursive;
  std::string name;  // empty when unnamed, or on Kubo < 0.26
};

// pin/ls?arg=<cid>: how one CID is pinned.
struct PinLookup {
  PinType type = PinType::recursive;
  std::optional<multiformats::Cid> through;  // for indirect pins: the recursive pin above it
  std::string type_text;                     // Kubo's words: "indirect through <cid>"
  std::string name;
};

// repo/stat?size-only=true.
struct RepoStat {
  std::uint64_t repo_size = 0;
  std::uint64_t storage_max = 0;
};

}  // namespace cf::kubo
