// How much the follower does at once, and the bounds on what a template may ask for.
//
// `pin_tracker.stateless.concurrent_pins` comes from the cluster's template, i.e. from whoever
// publishes it: it used to become one OS thread per pin in flight, computed in int, so a large
// value overflowed or exhausted `ulimit -u` (issue 11). Now Kubo's pin/add streams share one
// thread (http::TransferRunner, see KuboRpcPins), the worker pool has a fixed size, and the
// settings are clamped where the reconciler reads them, with a warning naming the setting, the
// value asked for and the value used. Upstream's default is 10; the clamp leaves any sensible
// value alone. Each pin in flight still holds one connection (a file descriptor) to Kubo.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cf::follower {

inline constexpr int max_concurrent_pins = 1024;
inline constexpr int max_concurrent_unpins = 1024;

// Threads of the daemon's worker pool, whatever the template says: short blocking Kubo calls
// (pin/ls, pin/rm, pin/update, id, swarm/connect), the REST source's poll, template reloads and
// sibling state.db reads. pin/add streams do not use it.
inline constexpr std::size_t worker_threads = 6;

struct Clamped {
  int value = 1;
  std::string warning;  // empty when `value` is what was asked for
};

// `requested` brought into [1, max] without overflow; the warning names `setting`.
Clamped clamp_concurrency(std::string_view setting, std::int64_t requested, int max);

}  // namespace cf::follower
