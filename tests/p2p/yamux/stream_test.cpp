// Per-stream windows and buffers (stream.cpp), against go-yamux util.go segmentedBuffer
// (GrowTo sends an update once at least half the window has been consumed) and stream.go.
#include "cf/p2p/yamux/stream.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/yamux/errc.hpp"

namespace cf::p2p::yamux {
namespace {

Bytes filled(std::size_t n) { return Bytes(n, 0x5a); }

TEST(YamuxStream, StartsWithTheSpecWindowBothWays) {
  Stream s(1, true, initial_stream_window);
  EXPECT_FALSE(s.established());
  EXPECT_EQ(s.send_window(), initial_stream_window);
  EXPECT_EQ(s.receive_credit(), initial_stream_window);
  EXPECT_EQ(s.grant_initial(), 0u);  // nothing above the initial window to grant
  EXPECT_TRUE(Stream(2, false, initial_stream_window).established());
}

TEST(YamuxStream, LargerWindowIsGrantedOnceAndSmallerIsRaised) {
  Stream big(1, true, 1024 * 1024);
  EXPECT_EQ(big.grant_initial(), 1024u * 1024 - initial_stream_window);
  EXPECT_EQ(big.receive_credit(), 1024u * 1024);
  Stream small(1, true, 1000);
  EXPECT_EQ(small.grant_initial(), 0u);
  EXPECT_EQ(small.receive_credit(), initial_stream_window);
}

TEST(YamuxStream, ReceiveCreditIsEnforced) {
  Stream s(2, false, initial_stream_window);
  ASSERT_TRUE(s.on_data(filled(initial_stream_window - 1)));
  ASSERT_TRUE(s.on_data(filled(1)));
  EXPECT_EQ(s.receive_credit(), 0u);
  EXPECT_EQ(s.on_data(filled(1)).error(), errc::window_exceeded);
  EXPECT_TRUE(s.on_data({}));  // an empty frame never exceeds
}

TEST(YamuxStream, WindowUpdateOnlyAfterHalfIsConsumed) {
  Stream s(2, false, initial_stream_window);
  ASSERT_TRUE(s.on_data(filled(200'000)));
  EXPECT_EQ(s.read(100'000).size(), 100'000u);
  EXPECT_EQ(s.take_window_update(), 0u);  // 100000 < 131072
  EXPECT_EQ(s.read(31'072).size(), 31'072u);
  EXPECT_EQ(s.take_window_update(), 131'072u);
  EXPECT_EQ(s.take_window_update(), 0u);  // applied: nothing more owed
  EXPECT_EQ(s.receive_credit() + s.buffered(), initial_stream_window);
}

TEST(YamuxStream, NoWindowUpdateAfterThePeersFin) {
  Stream s(2, false, initial_stream_window);
  ASSERT_TRUE(s.on_data(filled(initial_stream_window)));
  s.set_remote_fin();
  EXPECT_EQ(s.read(SIZE_MAX).size(), initial_stream_window);
  EXPECT_EQ(s.take_window_update(), 0u);
}

TEST(YamuxStream, ReadsComeOutInOrderAcrossCompaction) {
  // Appends and reads interleave, so the buffer compacts with data on both sides of the cut.
  Stream s(2, false, initial_stream_window);
  Bytes sent;
  Bytes got;
  std::uint8_t next = 0;
  for (std::size_t n : {1u, 499u, 7u, 300u, 1000u, 64u, 2u, 5000u}) {
    Bytes chunk(700);
    for (auto& b : chunk) b = next++;
    ASSERT_TRUE(s.on_data(chunk));
    sent.insert(sent.end(), chunk.begin(), chunk.end());
    const Bytes part = s.read(n);
    got.insert(got.end(), part.begin(), part.end());
  }
  const Bytes rest = s.read(SIZE_MAX);
  got.insert(got.end(), rest.begin(), rest.end());
  EXPECT_EQ(got, sent);
  EXPECT_EQ(s.buffered(), 0u);
  EXPECT_TRUE(s.read(10).empty());
}

TEST(YamuxStream, SendWindowReservationAndUnblocking) {
  Stream s(1, true, initial_stream_window);
  EXPECT_EQ(s.reserve_send(100), 100u);
  EXPECT_FALSE(s.take_unblocked());
  EXPECT_EQ(s.reserve_send(initial_stream_window), initial_stream_window - 100);
  EXPECT_EQ(s.send_window(), 0u);
  EXPECT_FALSE(s.take_unblocked());  // blocked, but no window yet
  ASSERT_TRUE(s.add_send_window(10));
  EXPECT_TRUE(s.take_unblocked());
  EXPECT_FALSE(s.take_unblocked());  // reported once
  EXPECT_EQ(s.reserve_send(0), 0u);
}

TEST(YamuxStream, SendWindowMayGrowTo32BitsButNoFurther) {
  Stream s(1, true, initial_stream_window);
  ASSERT_TRUE(s.add_send_window(UINT32_MAX - initial_stream_window));
  EXPECT_EQ(s.send_window(), UINT32_MAX);
  EXPECT_EQ(s.add_send_window(1).error(), errc::send_window_overflow);
  EXPECT_EQ(s.send_window(), UINT32_MAX);
}

TEST(YamuxStream, FinishedNeedsBothFinsAndAnEmptyBuffer) {
  Stream s(1, true, initial_stream_window);
  ASSERT_TRUE(s.on_data(filled(3)));
  s.set_local_fin();
  s.set_remote_fin();
  EXPECT_FALSE(s.finished());
  (void)s.read(3);
  EXPECT_TRUE(s.finished());
}

}  // namespace
}  // namespace cf::p2p::yamux
