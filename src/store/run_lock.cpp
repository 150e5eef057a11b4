#include "cf/store/run_lock.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>

namespace cf::store {
namespace {

// A whole-file write lock request, as F_OFD_* wants it (l_pid must be 0).
struct flock whole_file(short type) {
  struct flock request {};
  request.l_type = type;
  request.l_whence = SEEK_SET;
  request.l_start = 0;
  request.l_len = 0;
  return request;
}

// The pid the holder wrote; 0 when the file is empty or garbled (e.g. read between the
// holder's lock and its write).
pid_t read_pid(int fd) {
  char buffer[32];
  ssize_t n = ::pread(fd, buffer, sizeof buffer, 0);
  if (n <= 0) return 0;
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(buffer, buffer + n, pid);
  if (ec != std::errc() || pid <= 0) return 0;
  return pid;
}

Status write_pid(int fd, const std::filesystem::path& path) {
  std::string text = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return Error(errc::io_failed, "writing " + path.string() + ": " + std::strerror(errno));
  }
  return ok();
}

Error held_by(const std::filesystem::path& folder, pid_t pid) {
  std::string by = pid > 0 ? "process " + std::to_string(pid) : "another process";
  return Error(errc::lock_held,
               "cluster \"" + folder.string() + "\" is already being followed by " + by);
}

}  // namespace

Result<RunLock> RunLock::acquire(const std::filesystem::path& folder) {
  auto path = folder / file_name;
  // O_NOFOLLOW: the pid is written through this descriptor (after ftruncate), so a symlink
  // planted here would truncate whatever it points to. No O_TRUNC: only the lock holder writes.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0 && errno == ELOOP) {
    return Error(errc::io_failed, path.string() + " is a symbolic link; refusing to follow it (it would be "
                                                  "truncated through the link): remove it, run recreates it");
  }
  if (fd < 0) {
    return Error(errc::io_failed, "opening " + path.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error(errc::io_failed, path.string() + " is not a regular file: remove it, run recreates it");
  }
  auto request = whole_file(F_WRLCK);
  if (::fcntl(fd, F_OFD_SETLK, &request) != 0) {
    int error = errno;
    if (error == EAGAIN || error == EACCES) {
      pid_t pid = read_pid(fd);
      ::close(fd);
      return held_by(folder, pid);
    }
    ::close(fd);
    return Error(errc::io_failed, "locking " + path.string() + ": " + std::strerror(error));
  }
  RunLock lock(fd, std::move(path));
  CF_TRY(write_pid(lock.fd_, lock.path_));
  return lock;
}

std::optional<pid_t> RunLock::holder(const std::filesystem::path& folder) {
  auto path = folder / file_name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  // F_OFD_GETLK only tests: it reports a conflicting lock without taking one, so a concurrent
  // acquire never fails because of us.
  auto request = whole_file(F_WRLCK);
  std::optional<pid_t> pid;
  if (::fcntl(fd, F_OFD_GETLK, &request) == 0 && request.l_type != F_UNLCK) pid = read_pid(fd);
  ::close(fd);
  return pid;
}

RunLock::RunLock(RunLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

RunLock::~RunLock() { release(); }

void RunLock::release() {
  if (fd_ < 0) return;
  // Clear the pid while still holding the lock, so no later holder's pid is erased. A failure
  // only leaves a stale pid, which holder() ignores because the lock is gone.
  if (::ftruncate(fd_, 0) != 0) {
  }
  ::close(std::exchange(fd_, -1));
}

}  // namespace cf::store
