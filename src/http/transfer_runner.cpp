#include "cf/http/transfer_runner.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/post.hpp>

#include "transfer.hpp"

namespace cf::http {
namespace {

// The longest the runner sleeps in curl_multi_poll: bounds how late idle timeouts fire.
constexpr long max_poll_ms = 1000;

// The awaiting coroutine's completion handler, type-erased; post() resumes it on its own
// executor (from whichever thread completes the transfer).
struct Completion {
  virtual ~Completion() = default;
  virtual void post() = 0;
};

template <typename Handler>
class PostTo final : public Completion {
 public:
  explicit PostTo(Handler handler) : handler_(std::move(handler)) {}
  void post() override {
    auto executor = asio::get_associated_executor(handler_);
    asio::post(executor, [h = std::move(handler_)]() mutable {
      asio::get_associated_cancellation_slot(h).clear();  // we are done: no cancel after this
      std::move(h)();
    });
  }

 private:
  Handler handler_;
};

}  // namespace

struct TransferRunner::Job {
  enum class Stage { queued, running, done };

  Request request;
  ChunkHandler on_chunk;
  Stage stage = Stage::queued;    // guarded by Shared::mutex
  bool cancel_requested = false;  // guarded by Shared::mutex
  CURL* easy = nullptr;                        // runner thread only
  std::unique_ptr<detail::Transfer> transfer;  // runner thread only
  std::optional<Result<Response>> result;      // written once, by whoever sets Stage::done
  std::unique_ptr<Completion> completion;

  // Sets the outcome and resumes the awaiting coroutine. Call once stage is done.
  void complete(Result<Response> outcome) {
    if (!outcome) outcome.error().wrap(detail::describe(request));
    result.emplace(std::move(outcome));
    std::move(completion)->post();
  }
};

struct TransferRunner::Shared {
  std::mutex mutex;
  std::deque<std::shared_ptr<Job>> queue;
  std::vector<std::shared_ptr<Job>> cancels;  // running jobs to take off the multi handle
  bool stopping = false;
  CURLM* multi = nullptr;
  std::unordered_map<CURL*, std::shared_ptr<Job>> running;  // runner thread only
  std::thread thread;
};

struct TransferRunner::StopCancel {
  TransferRunner* runner;
  std::shared_ptr<Job> job;
  void operator()() const { runner->cancel(job); }
};

namespace {

Error cancelled_error() { return Error(errc::cancelled, "cancelled"); }

}  // namespace

TransferRunner::TransferRunner(RunnerOptions options)
    : options_(std::move(options)), shared_(std::make_unique<Shared>()) {
  options_.max_concurrent = std::max<std::size_t>(1, options_.max_concurrent);
  detail::global_init_once();
  shared_->multi = curl_multi_init();
  if (shared_->multi == nullptr) std::abort();  // out of memory
  shared_->thread = std::thread([this] { loop(); });
}

TransferRunner::~TransferRunner() {
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
  }
  curl_multi_wakeup(shared_->multi);
  shared_->thread.join();
  curl_multi_cleanup(shared_->multi);
}

Task<Result<Response>> TransferRunner::perform(Request request, std::stop_token stop) {
  co_return co_await stream(std::move(request), nullptr, std::move(stop));
}

Task<Result<Response>> TransferRunner::stream(Request request, ChunkHandler on_chunk, std::stop_token stop) {
  if (auto ua = detail::check_user_agent(request, options_.user_agent); !ua) co_return ua.error();
  auto job = std::make_shared<Job>();
  job->request = std::move(request);
  job->on_chunk = std::move(on_chunk);
  std::optional<std::stop_callback<StopCancel>> on_stop;  // lives until we resume
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [&](auto handler) {
        auto slot = asio::get_associated_cancellation_slot(handler);
        if (slot.is_connected()) {
          // Weak: the job holds the handler, whose frame holds this slot.
          slot.assign([this, weak = std::weak_ptr<Job>(job)](asio::cancellation_type) {
            if (auto j = weak.lock()) cancel(j);
          });
        }
        job->completion = std::make_unique<PostTo<decltype(handler)>>(std::move(handler));
        submit(job);
        on_stop.emplace(stop, StopCancel{this, job});  // runs cancel() now if already stopped
      },
      asio::use_awaitable);
  co_return std::move(*job->result);
}

void TransferRunner::submit(const std::shared_ptr<Job>& job) {
  {
    std::lock_guard lock(shared_->mutex);
    if (shared_->stopping) {
      job->stage = Job::Stage::done;
      job->complete(cancelled_error());
      return;
    }
    shared_->queue.push_back(job);
    queued_ = shared_->queue.size();
  }
  curl_multi_wakeup(shared_->multi);
}

void TransferRunner::cancel(const std::shared_ptr<Job>& job) {
  {
    std::lock_guard lock(shared_->mutex);
    if (job->stage == Job::Stage::queued) {
      auto& q = shared_->queue;
      q.erase(std::remove(q.begin(), q.end(), job), q.end());
      queued_ = q.size();
      job->stage = Job::Stage::done;
      job->complete(cancelled_error());
      return;
    }
    if (job->stage != Job::Stage::running || job->cancel_requested) return;
    job->cancel_requested = true;
    shared_->cancels.push_back(job);
  }
  curl_multi_wakeup(shared_->multi);
}

// Runner thread from here on.

void TransferRunner::loop() {
  std::vector<std::shared_ptr<Job>> starting, cancelling;
  for (;;) {
    starting.clear();
    cancelling.clear();
    bool stopping = take_work(starting, cancelling);
    for (const auto& job : cancelling) {
      if (shared_->running.contains(job->easy)) end(job, cancelled_error());
    }
    if (stopping) break;
    for (const auto& job : starting) begin(job);
    int still_running = 0;
    curl_multi_perform(shared_->multi, &still_running);
    reap_finished();
    reap_idle();
    long timeout_ms = -1;
    curl_multi_timeout(shared_->multi, &timeout_ms);
    if (timeout_ms < 0 || timeout_ms > max_poll_ms) timeout_ms = max_poll_ms;
    curl_multi_poll(shared_->multi, nullptr, 0, static_cast<int>(timeout_ms), nullptr);
  }
  shut_down();
}

// Moves what callers asked for since the last pass out from under the lock: cancellations,
// and queued jobs while slots are free. True once the runner is stopping.
bool TransferRunner::take_work(std::vector<std::shared_ptr<Job>>& starting,
                               std::vector<std::shared_ptr<Job>>& cancelling) {
  std::lock_guard lock(shared_->mutex);
  cancelling.swap(shared_->cancels);
  if (shared_->stopping) return true;
  auto& q = shared_->queue;
  while (!q.empty() && shared_->running.size() + starting.size() < options_.max_concurrent) {
    q.front()->stage = Job::Stage::running;
    starting.push_back(std::move(q.front()));
    q.pop_front();
  }
  queued_ = q.size();
  return false;
}

void TransferRunner::begin(const std::shared_ptr<Job>& job) {
  job->easy = curl_easy_init();
  if (job->easy == nullptr) {
    {
      std::lock_guard lock(shared_->mutex);
      job->stage = Job::Stage::done;
    }
    job->complete(Error(errc::transport_failed, "out of memory for a transfer"));
    return;
  }
  job->transfer = std::make_unique<detail::Transfer>(job->easy, job->request, options_.user_agent, job->on_chunk,
                                                    std::stop_token{});
  shared_->running.emplace(job->easy, job);
  running_ = shared_->running.size();
  if (auto started = job->transfer->start(); !started) {
    end(job, started.error());
    return;
  }
  if (curl_multi_add_handle(shared_->multi, job->easy) != CURLM_OK) {
    end(job, Error(errc::transport_failed, "could not add the transfer to the multi handle"));
  }
}

// Takes the job off the multi handle (a no-op if it was never added), frees its handle and
// completes it.
void TransferRunner::end(const std::shared_ptr<Job>& job, Result<Response> outcome) {
  curl_multi_remove_handle(shared_->multi, job->easy);
  shared_->running.erase(job->easy);
  running_ = shared_->running.size();
  job->transfer.reset();  // before the handle: it resets the handle on destruction
  curl_easy_cleanup(job->easy);
  job->easy = nullptr;
  {
    std::lock_guard lock(shared_->mutex);
    job->stage = Job::Stage::done;
  }
  job->complete(std::move(outcome));
}

void TransferRunner::reap_finished() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(shared_->multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    auto it = shared_->running.find(msg->easy_handle);
    if (it == shared_->running.end()) continue;
    auto job = it->second;
    end(job, job->transfer->finish(msg->data.result));  // msg is invalid after end()
  }
}

// The multi interface runs a silent transfer's progress callback only when curl's own timers
// say so; check the idle timeout here too, on every pass (at least once a second).
void TransferRunner::reap_idle() {
  auto now = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<Job>> idle;
  for (const auto& [easy, job] : shared_->running) {
    if (job->transfer->idle_expired(now)) idle.push_back(job);
  }
  for (const auto& job : idle) end(job, job->transfer->finish(CURLE_ABORTED_BY_CALLBACK));
}

void TransferRunner::shut_down() {
  while (!shared_->running.empty()) {
    auto job = shared_->running.begin()->second;
    end(job, cancelled_error());
  }
  std::deque<std::shared_ptr<Job>> queue;
  {
    std::lock_guard lock(shared_->mutex);
    queue.swap(shared_->queue);
    for (const auto& job : queue) job->stage = Job::Stage::done;
    queued_ = 0;
  }
  for (const auto& job : queue) job->complete(cancelled_error());
}

}  // namespace cf::http
