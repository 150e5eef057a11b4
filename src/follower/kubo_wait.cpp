#include "cf/follower/kubo_wait.hpp"

#include <thread>

#include "cf/base/errc.hpp"

namespace cf::follower {

Result<std::string> wait_for_kubo(const std::string& address, const KuboProbe& probe,
                                  const KuboWaitOptions& options, const KuboWaitTick& tick) {
  auto now = options.now ? options.now : [] { return std::chrono::steady_clock::now(); };
  auto sleep = options.sleep ? options.sleep : [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  const auto deadline = now() + options.timeout;
  for (;;) {
    auto answer = probe();
    if (answer) return answer;
    auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - now());
    if (left.count() <= 0) {
      return Error(errc::timed_out, "Kubo did not answer at " + address + " within " +
                                        std::to_string(options.timeout.count()) +
                                        " s; last error: " + answer.error().message());
    }
    if (tick) tick(left, answer.error());
    sleep(options.interval);
  }
}

}  // namespace cf::follower
