#include "cf/store/run_lock.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/temp_dir.hpp"

namespace cf::store {
namespace {

using testing::read_file;
using testing::TempDir;

std::string held_message(const std::filesystem::path& folder, pid_t pid) {
  return "cluster \"" + folder.string() + "\" is already being followed by process " +
         std::to_string(pid);
}

// A child process that takes the lock, says so on a pipe, then waits until the parent closes
// the other pipe (or kills it). Pipes, not sleeps, order the two processes.
class LockingChild {
 public:
  explicit LockingChild(const std::filesystem::path& folder) {
    if (::pipe(ready_) != 0 || ::pipe(release_) != 0) ADD_FAILURE() << "pipe failed";
    pid_ = ::fork();
    if (pid_ == 0) run_child(folder);
    ::close(ready_[1]);
    ::close(release_[0]);
  }
  LockingChild(const LockingChild&) = delete;
  LockingChild& operator=(const LockingChild&) = delete;
  ~LockingChild() {
    if (pid_ > 0) kill_hard();
    ::close(ready_[0]);
  }

  pid_t pid() const { return pid_; }

  // True once the child holds the lock.
  bool locked() {
    char answer = 0;
    return ::read(ready_[0], &answer, 1) == 1 && answer == 'y';
  }

  // Lets the child exit normally and reaps it; returns its exit status.
  int finish() {
    ::close(release_[1]);
    return reap();
  }

  void kill_hard() {
    ::kill(pid_, SIGKILL);
    ::close(release_[1]);
    reap();
  }

 private:
  [[noreturn]] void run_child(const std::filesystem::path& folder) {
    ::close(ready_[0]);
    ::close(release_[1]);
    auto lock = RunLock::acquire(folder);
    char answer = lock ? 'y' : 'n';
    bool told = ::write(ready_[1], &answer, 1) == 1;
    char ignored = 0;
    while (::read(release_[0], &ignored, 1) > 0) {
    }
    ::_exit(lock && told ? 0 : 1);  // the kernel drops the lock with the process
  }

  int reap() {
    int status = 0;
    ::waitpid(std::exchange(pid_, -1), &status, 0);
    return status;
  }

  int ready_[2] = {-1, -1};
  int release_[2] = {-1, -1};
  pid_t pid_ = -1;
};

TEST(RunLock, HolderWritesItsPidAndASecondAcquireFails) {
  TempDir dir;
  EXPECT_FALSE(RunLock::holder(dir.path()).has_value());
  {
    auto lock = RunLock::acquire(dir.path());
    ASSERT_TRUE(lock) << lock.error().message();
    EXPECT_EQ(lock->path(), dir / "run.lock");
    EXPECT_EQ(read_file(dir / "run.lock"), std::to_string(::getpid()) + "\n");
    EXPECT_EQ(RunLock::holder(dir.path()), ::getpid());
    // OFD locks conflict between two opens in one process too.
    auto second = RunLock::acquire(dir.path());
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error(), errc::lock_held);
    EXPECT_EQ(second.error().message(), held_message(dir.path(), ::getpid()));
    // holder() opening and closing the file must not drop our lock (a POSIX-lock trap).
    EXPECT_FALSE(RunLock::acquire(dir.path()));
  }
  EXPECT_FALSE(RunLock::holder(dir.path()).has_value());
  EXPECT_TRUE(RunLock::acquire(dir.path()));
}

TEST(RunLock, AnotherProcessHoldingTheLockIsNamed) {
  TempDir dir;
  LockingChild child(dir.path());
  ASSERT_TRUE(child.locked());
  auto lock = RunLock::acquire(dir.path());
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error(), errc::lock_held);
  EXPECT_EQ(lock.error().message(), held_message(dir.path(), child.pid()));
  EXPECT_EQ(RunLock::holder(dir.path()), child.pid());

  int status = child.finish();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_FALSE(RunLock::holder(dir.path()).has_value());
  EXPECT_TRUE(RunLock::acquire(dir.path()));
}

TEST(RunLock, KilledHolderReleasesTheLock) {
  TempDir dir;
  LockingChild child(dir.path());
  ASSERT_TRUE(child.locked());
  pid_t dead = child.pid();
  child.kill_hard();
  // The stale pid is still in the file, but nobody holds the lock.
  EXPECT_EQ(read_file(dir / "run.lock"), std::to_string(dead) + "\n");
  EXPECT_FALSE(RunLock::holder(dir.path()).has_value());
  auto lock = RunLock::acquire(dir.path());
  ASSERT_TRUE(lock) << lock.error().message();
  EXPECT_EQ(RunLock::holder(dir.path()), ::getpid());
}

TEST(RunLock, MovedLockStaysHeld) {
  TempDir dir;
  auto lock = RunLock::acquire(dir.path());
  ASSERT_TRUE(lock);
  RunLock moved = std::move(*lock);
  EXPECT_EQ(RunLock::holder(dir.path()), ::getpid());
  RunLock other = std::move(moved);
  EXPECT_FALSE(RunLock::acquire(dir.path()));
}

TEST(RunLock, HolderNeverCreatesTheFileAndMissingFolderIsAnError) {
  TempDir dir;
  EXPECT_FALSE(RunLock::holder(dir.path()).has_value());
  EXPECT_FALSE(std::filesystem::exists(dir / "run.lock"));
  auto lock = RunLock::acquire(dir / "missing");
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error(), errc::io_failed);
  EXPECT_NE(lock.error().message().find("missing/run.lock"), std::string::npos);
}

// A symlink planted as run.lock must not get its target truncated by the pid write.
TEST(RunLock, SymlinkIsRefusedAndItsTargetLeftAlone) {
  TempDir dir;
  {
    std::ofstream victim(dir / "victim");
    victim << "precious contents\n";
  }
  std::filesystem::create_symlink(dir / "victim", dir / "run.lock");
  auto lock = RunLock::acquire(dir.path());
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error(), errc::io_failed);
  EXPECT_NE(lock.error().message().find("is a symbolic link"), std::string::npos) << lock.error().message();
  EXPECT_EQ(read_file(dir / "victim"), "precious contents\n");
  EXPECT_FALSE(RunLock::holder(dir.path()).has_value());
}

}  // namespace
}  // namespace cf::store
