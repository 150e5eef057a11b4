#include "cf/base/task_set.hpp"

#include <exception>
#include <utility>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/co_spawn.hpp>
#include <asio/error.hpp>

namespace cf {

TaskSet::TaskSet(asio::any_io_executor executor, std::shared_ptr<spdlog::logger> log)
    : executor_(std::move(executor)), log_(std::move(log)), shared_(std::make_shared<Shared>(executor_)) {}

void TaskSet::spawn(Task<void> task, std::string name, Cancel cancel) {
  auto& entries = shared_->entries;
  entries.emplace_back();
  auto it = std::prev(entries.end());
  it->name = std::move(name);
  it->cancellable = cancel == Cancel::yes;
  auto slot = it->signal.slot();
  asio::co_spawn(executor_, std::move(task),
                 asio::bind_cancellation_slot(slot, [shared = shared_, log = log_, it](std::exception_ptr e) {
                   if (e) {
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::system_error& ex) {
                       // Cancellation surfaces as operation_aborted at the next co_await.
                       if (ex.code() == asio::error::operation_aborted) {
                         log->debug("task {} cancelled", it->name);
                       } else {
                         log->error("task {} failed: {}", it->name, ex.what());
                       }
                     } catch (const std::exception& ex) {
                       log->error("task {} failed: {}", it->name, ex.what());
                     } catch (...) {
                       log->error("task {} failed", it->name);
                     }
                   }
                   shared->entries.erase(it);
                   shared->idle.notify();
                 }));
}

void TaskSet::cancel() {
  for (auto& entry : shared_->entries) {
    if (entry.cancellable) entry.signal.emit(asio::cancellation_type::terminal);
  }
}

Task<void> TaskSet::wait_idle() {
  auto shared = shared_;
  while (!shared->entries.empty()) co_await shared->idle.wait();
}

}  // namespace cf
