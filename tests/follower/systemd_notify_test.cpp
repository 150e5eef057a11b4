// The notify protocol against a real unix datagram socket named by NOTIFY_SOCKET, read back
// by the test: what libsystemd sends is what systemd would receive.
#include "cf/follower/systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include "cf/base/errc.hpp"

namespace cf::follower {
namespace {

// A bound datagram socket in a temp folder, set as NOTIFY_SOCKET for the test's lifetime;
// the watchdog variables are cleared so that each test sets only what it needs.
class NotifySocket : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cf-notify-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "notify.sock").string();
    std::filesystem::remove(path_);
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd_, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    ASSERT_LT(path_.size(), sizeof(addr.sun_path));
    path_.copy(addr.sun_path, path_.size());
    ASSERT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    timeval timeout{2, 0};  // a missing datagram fails the test instead of hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
  }
  void TearDown() override {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
    if (fd_ >= 0) ::close(fd_);
    std::filesystem::remove_all(dir_);
  }

  // The next datagram, or nullopt after the receive timeout (or at once with `nonblocking`).
  std::optional<std::string> receive(bool nonblocking = false) {
    char buffer[4096];
    auto n = ::recv(fd_, buffer, sizeof(buffer), nonblocking ? MSG_DONTWAIT : 0);
    if (n < 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(n));
  }

  std::filesystem::path dir_;
  std::string path_;
  int fd_ = -1;
};

TEST_F(NotifySocket, SendsReadyStatusStoppingAndWatchdog) {
  SystemdNotifier notifier;
  EXPECT_TRUE(notifier.enabled());
  ASSERT_TRUE(notifier.ready());
  EXPECT_EQ(receive(), "READY=1");
  ASSERT_TRUE(notifier.status("following filecoin: 12/40 pinned"));
  EXPECT_EQ(receive(), "STATUS=following filecoin: 12/40 pinned");
  ASSERT_TRUE(notifier.watchdog_ping());
  EXPECT_EQ(receive(), "WATCHDOG=1");
  ASSERT_TRUE(notifier.stopping());
  EXPECT_EQ(receive(), "STOPPING=1");
  ASSERT_TRUE(notifier.extend_timeout(std::chrono::seconds(30)));
  EXPECT_EQ(receive(), "EXTEND_TIMEOUT_USEC=30000000");
}

TEST_F(NotifySocket, StatusCannotForgeOtherVariables) {
  SystemdNotifier notifier;
  ASSERT_TRUE(notifier.status("bad template\nREADY=1"));
  EXPECT_EQ(receive(), "STATUS=bad template READY=1");
}

TEST_F(NotifySocket, ReloadingCarriesMonotonicTime) {
  SystemdNotifier notifier;
  ASSERT_TRUE(notifier.reloading());
  auto message = receive();
  ASSERT_TRUE(message);
  ASSERT_TRUE(message->starts_with("RELOADING=1\nMONOTONIC_USEC=")) << *message;
  auto usec = std::stoull(message->substr(message->find('=', 12) + 1));
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  EXPECT_LE(usec, static_cast<unsigned long long>(now.tv_sec) * 1000000ull + now.tv_nsec / 1000);
  EXPECT_GT(usec, 0u);
}

TEST_F(NotifySocket, NoOpWithoutNotifySocket) {
  ::unsetenv("NOTIFY_SOCKET");
  SystemdNotifier notifier;
  EXPECT_FALSE(notifier.enabled());
  EXPECT_TRUE(notifier.ready());
  EXPECT_TRUE(notifier.watchdog_ping());
  EXPECT_EQ(receive(true), std::nullopt);
}

TEST_F(NotifySocket, SendFailureIsAnError) {
  ::setenv("NOTIFY_SOCKET", (dir_ / "nobody-listens.sock").c_str(), 1);
  SystemdNotifier notifier;
  auto sent = notifier.ready();
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error(), errc::io_failed);
  EXPECT_NE(sent.error().message().find("sd_notify"), std::string::npos);
}

TEST_F(NotifySocket, WatchdogIntervalFollowsTheEnvironment) {
  SystemdNotifier notifier;
  EXPECT_EQ(notifier.watchdog_interval(), std::nullopt);
  ::setenv("WATCHDOG_USEC", "60000000", 1);
  EXPECT_EQ(notifier.watchdog_interval(), std::chrono::microseconds(60000000));
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  EXPECT_EQ(notifier.watchdog_interval(), std::chrono::microseconds(60000000));
  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);  // meant for another process
  EXPECT_EQ(notifier.watchdog_interval(), std::nullopt);
}

TEST_F(NotifySocket, WatchdogCoroutineReturnsAtOnceWhenOff) {
  SystemdNotifier notifier;
  asio::io_context io;
  bool done = false;
  asio::co_spawn(io, run_watchdog(notifier), [&](std::exception_ptr e) { done = !e; });
  io.run_for(std::chrono::seconds(2));
  EXPECT_TRUE(done);
  EXPECT_EQ(receive(true), std::nullopt);
}

// Pings at half the interval until cancelled. The interval is 2 ms, so three pings take
// about 2 ms; the loop is bounded by a 2 s budget, not by a sleep.
TEST_F(NotifySocket, WatchdogCoroutinePingsUntilCancelled) {
  SystemdNotifier notifier;
  asio::io_context io;
  asio::cancellation_signal stop;
  bool done = false;
  asio::co_spawn(io, run_watchdog(notifier, std::chrono::milliseconds(2)),
                 asio::bind_cancellation_slot(stop.slot(), [&](std::exception_ptr e) { done = !e; }));
  int pings = 0;
  const auto budget = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (pings < 3 && std::chrono::steady_clock::now() < budget) {
    io.run_one_for(std::chrono::milliseconds(100));
    while (auto message = receive(true)) {
      EXPECT_EQ(*message, "WATCHDOG=1");
      ++pings;
    }
  }
  EXPECT_GE(pings, 3);
  stop.emit(asio::cancellation_type::terminal);
  io.run_for(std::chrono::seconds(2));
  EXPECT_TRUE(done);
}

}  // namespace
}  // namespace cf::follower
