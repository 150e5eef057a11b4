// pin/add with progress (A4, A5): upstream's connector Pin step 4 and its pinProgress watcher.
//
// Facts followed: `recursive=true|false`, `max-depth=N` only for N > 0 (Kubo drops it),
// `progress=true` makes Kubo write {"Progress":nodes,"Bytes":bytes} every 500 ms (an early tick
// may be {}), then {"Pins":[...]}; a failure after the 200 arrives as an X-Stream-Error trailer.
// Only the node count is progress, as upstream: a tick with the same count does not reset the
// no-progress deadline.
//
// Divergences: the deadline is checked on every tick (exact, not 1×–2× pin_timeout); silence is
// cut by the http idle timeout; the trailer and a missing Pins object are failures.
#include <chrono>

#include "answer.hpp"
#include "cf/base/errc.hpp"
#include "cf/base/log.hpp"
#include "cf/kubo/client.hpp"
#include "query.hpp"

namespace cf::kubo {
namespace {

using Clock = std::chrono::steady_clock;
using detail::Json;

// The state of one pin/add stream: progress, the no-progress deadline, the final Pins.
class PinStream {
 public:
  explicit PinStream(const PinAddOptions& options) : options_(options), grew_at_(Clock::now()) {}

  Status on_line(std::string_view line) {
    if (options_.keep_going && !options_.keep_going()) {
      return Error(cf::errc::cancelled, "pin/add stopped: shutting down");
    }
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      CF_TRY_ASSIGN(doc, detail::parse_object(line));
      if (auto pins = doc.find("Pins"); pins != doc.end()) {
        CF_TRY(on_pins(*pins));
      } else {
        CF_TRY(on_tick(doc));
      }
    }
    return check_deadline();
  }

  bool finished() const { return finished_; }
  PinAddResult take() { return std::move(result_); }

 private:
  Status on_tick(const Json& doc) {
    auto nodes = detail::unsigned_field(doc, "Progress");
    auto bytes = detail::unsigned_field(doc, "Bytes");
    if (!nodes || !bytes) {
      // Described, never re-serialised: the tick is text from whatever answers on Kubo's port.
      const char* field = !nodes ? "Progress" : "Bytes";
      return Error(cf::errc::invalid_input, std::string("bad progress tick: ") + field + " is " +
                                                detail::describe(*doc.find(field)) + ", not a count");
    }
    result_.progress = {*nodes, *bytes};
    if (*nodes > most_nodes_) {
      most_nodes_ = *nodes;
      grew_at_ = Clock::now();
    }
    if (options_.on_progress) options_.on_progress(result_.progress);
    return ok();
  }

  Status on_pins(const Json& pins) {
    if (!pins.is_array()) {
      return Error(cf::errc::invalid_input, "Pins is not a list but " + detail::describe(pins));
    }
    for (const auto& p : pins) {
      CF_TRY_ASSIGN(cid, detail::parse_cid(p, "pinned CID"));
      result_.pins.push_back(std::move(cid));
    }
    finished_ = true;
    return ok();
  }

  Status check_deadline() const {
    if (finished_ || Clock::now() - grew_at_ < options_.pin_timeout) return ok();
    return Error(errc::pin_timeout,
                 "no progress for " + std::to_string(options_.pin_timeout.count()) + " ms (" +
                     std::to_string(result_.progress.nodes) + " blocks, " +
                     std::to_string(result_.progress.bytes) + " bytes fetched)");
  }

  const PinAddOptions& options_;
  Clock::time_point grew_at_;  // when the node count last grew (or the pin started)
  std::uint64_t most_nodes_ = 0;
  PinAddResult result_;
  bool finished_ = false;
};

std::string pin_add_query(const multiformats::Cid& cid, const PinAddOptions& options) {
  detail::Query q;
  q.add("arg", cid.to_string()).add("recursive", options.mode.is_recursive());
  if (options.mode.is_limited()) q.add("max-depth", std::to_string(options.mode.depth()));
  q.add("progress", true);
  if (!options.name.empty()) q.add("name", detail::truncate_utf8(options.name, max_pin_name_bytes));
  return q.str();
}

}  // namespace

Result<PinAddResult> Client::pin_add(const multiformats::Cid& cid, const PinAddOptions& options) {
  PinStream stream(options);
  // No overall cap (a big DAG may fetch for hours); a stream that goes silent is cut after
  // pin_timeout and reported like a stall.
  StreamLimits limits{std::chrono::milliseconds(0), options.pin_timeout, errc::pin_timeout};
  auto command = "pin/add";
  CF_TRY(stream_lines(command, pin_add_query(cid, options), limits,
                      [&](std::string_view line) { return stream.on_line(line); }));
  if (!stream.finished()) {
    return failure(command, errc::bad_response,
                   "the stream ended without Kubo's final {\"Pins\":[...]} for " + cid.to_string());
  }
  log::get("ipfshttp")->debug("pinned {} in Kubo", cid.to_string());
  return stream.take();
}

// The same steps as above, with the transfer on `runner` (no thread held while Kubo streams).
Task<Result<PinAddResult>> Client::pin_add(http::TransferRunner& runner, multiformats::Cid cid,
                                           PinAddOptions options, std::stop_token stop) const {
  PinStream stream(options);
  StreamLimits limits{std::chrono::milliseconds(0), options.pin_timeout, errc::pin_timeout};
  auto command = "pin/add";
  auto streamed = co_await stream_lines(runner, command, pin_add_query(cid, options), limits,
                                        [&stream](std::string_view line) { return stream.on_line(line); },
                                        std::move(stop));
  if (!streamed) co_return streamed.error();
  if (!stream.finished()) {
    co_return failure(command, errc::bad_response,
                      "the stream ended without Kubo's final {\"Pins\":[...]} for " + cid.to_string());
  }
  log::get("ipfshttp")->debug("pinned {} in Kubo", cid.to_string());
  co_return stream.take();
}

}  // namespace cf::kubo
