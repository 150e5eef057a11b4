// TransferRunner: any number of HTTP transfers on one thread, awaited as coroutines.
//
// Why: a blocking http::Client costs one thread per transfer in progress, and Kubo's pin/add
// stream lasts as long as the DAG takes to fetch, so N pins in flight used to cost N threads
// (issue 11). Here one thread owns a curl multi handle and drives every transfer; a caller
// awaits the result on its own asio executor, so N streams cost N sockets and no threads.
//
// Contract:
// - Configuration: every transfer is set up by the same code as http::Client's (detail::Transfer:
//   body cap, total/connect/idle timeouts, our User-Agent and its Kubo check, unix sockets,
//   trailers, proxy rules), so a Request means the same thing to both.
// - Threading: one background thread, started by the constructor, owns the multi handle and
//   every easy handle. perform()/stream() may be called from any executor; the awaiting
//   coroutine resumes on its own executor (the result is posted there). The ChunkHandler runs on
//   the runner thread, never concurrently with itself for one transfer, while the awaiting
//   coroutine is suspended: it may touch state of that coroutine's frame, but nothing shared
//   with other threads without locking, and it must be quick (it holds up every transfer).
// - Cancellation: a stop_token passed in, or asio cancellation (any type) on the awaiting
//   operation, ends the transfer with errc::cancelled. A queued transfer is completed at once;
//   a running one is removed from the multi handle by the runner thread, which is woken with
//   curl_multi_wakeup, so it ends well within a second.
// - Bounds: at most `max_concurrent` transfers run at once; the others wait in a FIFO queue
//   (no timeout starts before a transfer runs). The poll wakes at least once a second, so idle
//   timeouts fire at most ~1 s late, as with http::Client.
// - Lifetime: the destructor cancels whatever is queued or running (each completes with
//   errc::cancelled, posted to its executor) and joins the thread. Destroy the runner before
//   the executors it posts to, or after they have finished running.
// - Errors are values, wrapped in "METHOD url" like http::Client's; nothing is thrown.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/http/client.hpp"

namespace cf::http {

struct RunnerOptions {
  std::size_t max_concurrent = 256;  // transfers in progress at once (at least 1)
  std::string user_agent = default_user_agent();
};

class TransferRunner {
 public:
  explicit TransferRunner(RunnerOptions options = {});
  ~TransferRunner();
  TransferRunner(const TransferRunner&) = delete;
  TransferRunner& operator=(const TransferRunner&) = delete;

  // Like Client::perform: the whole body, bounded by request.max_body.
  Task<Result<Response>> perform(Request request, std::stop_token stop = {});
  // Like Client::stream: body bytes go to on_chunk, called on the runner thread (see above).
  Task<Result<Response>> stream(Request request, ChunkHandler on_chunk, std::stop_token stop = {});

  // Observability (tests, metrics): transfers running now, and waiting for a slot.
  std::size_t running() const { return running_.load(); }
  std::size_t queued() const { return queued_.load(); }

 private:
  struct Job;
  struct Shared;
  struct StopCancel;

  void submit(const std::shared_ptr<Job>& job);
  void cancel(const std::shared_ptr<Job>& job);
  // The runner thread's side.
  void loop();
  bool take_work(std::vector<std::shared_ptr<Job>>& starting, std::vector<std::shared_ptr<Job>>& cancelling);
  void begin(const std::shared_ptr<Job>& job);
  void end(const std::shared_ptr<Job>& job, Result<Response> outcome);
  void reap_finished();
  void reap_idle();
  void shut_down();

  RunnerOptions options_;
  std::atomic<std::size_t> running_{0};
  std::atomic<std::size_t> queued_{0};
  std::unique_ptr<Shared> shared_;
};

}  // namespace cf::http
