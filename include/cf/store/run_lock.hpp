// RunLock: at most one `run` per cluster folder, across processes.
//
// An exclusive open-file-description lock (fcntl F_OFD_SETLK) on <folder>/run.lock, which
// also holds the holder's pid in decimal for messages. OFD locks were chosen over classic
// POSIX locks because closing any other descriptor of the file (e.g. holder() called inside
// the daemon) would silently drop a POSIX lock, and over flock because F_OFD_GETLK lets
// holder() test the lock without taking it. The kernel releases the lock when the holder
// closes it or dies (kill -9 included), so a stale file never blocks a new run; the file itself
// is never deleted, because unlinking a lock file races with a process about to lock it.
//
// Ownership: the RunLock owns the descriptor; moving transfers it; destruction releases the
// lock. A fork()ed child shares the lock until it exits (the descriptor is O_CLOEXEC).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>

#include "cf/base/result.hpp"
#include "cf/store/errc.hpp"

namespace cf::store {

class RunLock {
 public:
  // The lock file's name inside a cluster folder.
  static constexpr const char* file_name = "run.lock";

  // Takes the lock without waiting. errc::lock_held with `cluster "<folder>" is already being
  // followed by process <pid>` when another RunLock (in any process) has it; errc::io_failed
  // when the folder is missing or not writable.
  static Result<RunLock> acquire(const std::filesystem::path& folder);

  // The pid of the process holding the lock on `folder`, if it is really held now (not merely
  // a leftover file). 0 when it is held but the pid cannot be read. Never creates the file.
  static std::optional<pid_t> holder(const std::filesystem::path& folder);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

  const std::filesystem::path& path() const { return path_; }

 private:
  RunLock(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  void release();

  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace cf::store
