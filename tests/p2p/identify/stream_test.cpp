// Identify framing and the multi-frame reader, following go-libp2p v0.48 id.go
// (readAllIDMessages: 8 KiB per frame, 10 reads; writeChunkedIdentifyMsg: split over 2 KiB
// when a signed record is present) and go-msgio pbio (uvarint length prefix).
#include "cf/p2p/identify/stream.hpp"

#include <gtest/gtest.h>

#include "cf/multiformats/varint.hpp"
#include "cf/p2p/identify/errc.hpp"

namespace cf::p2p::identify {
namespace {

namespace mf = cf::multiformats;

IdentifyInfo sample() {
  IdentifyInfo info;
  info.protocols = {"/ipfs/id/1.0.0", "/meshsub/1.2.0"};
  info.listen_addrs = {*mf::Multiaddr::parse("/ip4/127.0.0.1/tcp/9096")};
  info.agent_version = "ipfs-cluster/1.1.6";
  return info;
}

Bytes frame(const Bytes& body) {
  Bytes out = mf::encode_uvarint(body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// A valid Identify body of exactly `size` bytes (>= 4): one signedPeerRecord field.
Bytes body_of_size(std::size_t size) {
  IdentifyInfo info;
  info.signed_peer_record = Bytes(size - 1 - mf::uvarint_size(size - 3), 0xab);
  Bytes body = encode_identify(info);
  EXPECT_EQ(body.size(), size);
  return body;
}

TEST(IdentifyStream, OneFrameIsLengthPlusBody) {
  EXPECT_EQ(encode_identify_frames(sample()), frame(encode_identify(sample())));
}

TEST(IdentifyStream, ReadsAFrameSplitAtEveryOffset) {
  const Bytes wire = encode_identify_frames(sample());
  for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
    MessageReader reader;
    ASSERT_TRUE(reader.on_bytes(ByteView(wire).first(cut)));
    ASSERT_TRUE(reader.on_bytes(ByteView(wire).subspan(cut)));
    auto info = reader.on_eof();
    ASSERT_TRUE(info) << "cut " << cut;
    EXPECT_EQ(info->info, sample());
    EXPECT_EQ(reader.messages(), 1u);
  }
}

TEST(IdentifyStream, MergesFramesLikeProtoMerge) {
  IdentifyInfo second;
  second.protocols = {"/ipfs/bitswap/1.2.0"};
  second.agent_version = "later";
  Bytes wire = encode_identify_frames(sample());
  const Bytes more = encode_identify_frames(second);
  wire.insert(wire.end(), more.begin(), more.end());
  MessageReader reader;
  ASSERT_TRUE(reader.on_bytes(wire));
  auto merged = reader.on_eof();
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->info.protocols,
            (std::vector<std::string>{"/ipfs/id/1.0.0", "/meshsub/1.2.0", "/ipfs/bitswap/1.2.0"}));
  EXPECT_EQ(merged->info.agent_version, "later");
  EXPECT_EQ(merged->info.listen_addrs, sample().listen_addrs);
}

TEST(IdentifyStream, SplitsABigSignedRecordIntoItsOwnFrame) {
  IdentifyInfo info = sample();
  info.signed_peer_record = Bytes(3000, 0x5a);
  const Bytes wire = encode_identify_frames(info);
  IdentifyInfo base = sample();
  Bytes expected = frame(encode_identify(base));
  IdentifyInfo record;
  record.signed_peer_record = info.signed_peer_record;
  const Bytes second = frame(encode_identify(record));
  expected.insert(expected.end(), second.begin(), second.end());
  EXPECT_EQ(wire, expected);
  MessageReader reader;
  ASSERT_TRUE(reader.on_bytes(wire));
  EXPECT_EQ(reader.messages(), 2u);
  EXPECT_EQ(reader.on_eof()->info, info);
  // A small record stays in the single frame.
  info.signed_peer_record = Bytes(10, 0x5a);
  EXPECT_EQ(encode_identify_frames(info), frame(encode_identify(info)));
}

TEST(IdentifyStream, AcceptsExactly8KiBAndRejectsMore) {
  MessageReader ok_reader;
  ASSERT_TRUE(ok_reader.on_bytes(frame(body_of_size(max_message_size))));
  EXPECT_TRUE(ok_reader.on_eof());
  MessageReader big;
  EXPECT_EQ(big.on_bytes(frame(body_of_size(max_message_size + 1))).error(),
            errc::message_too_large);
  MessageReader prefix_only;  // refused from the length prefix alone
  EXPECT_EQ(prefix_only.on_bytes(mf::encode_uvarint(max_message_size + 1)).error(),
            errc::message_too_large);
  MessageReader huge;
  EXPECT_EQ(huge.on_bytes(Bytes{0xff, 0xff}).error(), errc::message_too_large);
}

TEST(IdentifyStream, AllowsNineFramesButNotTen) {
  const Bytes one = encode_identify_frames(sample());
  MessageReader nine;
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(nine.on_bytes(one));
  EXPECT_TRUE(nine.on_eof());
  MessageReader ten;
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(ten.on_bytes(one));
  EXPECT_EQ(ten.on_bytes(one).error(), errc::too_many_messages);
}

TEST(IdentifyStream, RejectsHostileFrames) {
  MessageReader cut;
  ASSERT_TRUE(cut.on_bytes(ByteView(encode_identify_frames(sample())).first(5)));
  EXPECT_EQ(cut.on_eof().error(), errc::truncated);
  MessageReader cut_prefix;
  ASSERT_TRUE(cut_prefix.on_bytes(Bytes{0x80}));
  EXPECT_EQ(cut_prefix.on_eof().error(), errc::truncated);
  MessageReader garbage;
  EXPECT_EQ(garbage.on_bytes(Bytes{0x02, 0x0f, 0x00}).error(), errc::invalid_message);
  MessageReader not_minimal;
  EXPECT_EQ(not_minimal.on_bytes(Bytes{0x81, 0x00, 0x00}).error(), errc::invalid_length);
  MessageReader empty;  // no frame at all: an empty Identify, as in go
  EXPECT_TRUE(empty.on_eof());
}

TEST(IdentifyStream, ChecksTheRemotePeerAtTheEnd) {
  IdentifyInfo info = sample();
  info.public_key = *mf::PeerId::parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq")
                         ->public_key_proto();
  const auto other = *mf::PeerId::parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
  MessageReader reader(other);
  ASSERT_TRUE(reader.on_bytes(encode_identify_frames(info)));
  EXPECT_EQ(reader.on_eof().error(), errc::peer_id_mismatch);
}

}  // namespace
}  // namespace cf::p2p::identify
