// multistream-select initiator, following go-multistream v0.6.1 client.go. Byte vectors are
// the [CALC] encodings of libp2p-wire.md §3.
#include "cf/p2p/mss/dialer.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/mss/errc.hpp"

namespace cf::p2p::mss {
namespace {

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Dialer make(std::vector<std::string> protocols) {
  auto d = Dialer::create(std::move(protocols));
  EXPECT_TRUE(d);
  return std::move(*d);
}

TEST(MssDialer, StartsWithHeaderAndFirstProposalInOneWrite) {
  const Dialer d = make({"/noise", "/tls/1.0.0"});
  EXPECT_EQ(to_hex(d.start()),
            "132f6d756c746973747265616d2f312e302e300a" "072f6e6f6973650a");  // [CALC]
}

TEST(MssDialer, SelectsOnEcho) {
  Dialer d = make({"/noise"});
  auto step = d.on_bytes(concat({encode_message(protocol_id), encode_message("/noise")}));
  ASSERT_TRUE(step) << step.error().message();
  EXPECT_TRUE(step->to_send.empty());
  ASSERT_TRUE(step->selected);
  EXPECT_EQ(step->selected->protocol, "/noise");
  EXPECT_TRUE(step->selected->leftover.empty());
  EXPECT_EQ(d.state(), Dialer::State::done);
}

TEST(MssDialer, SendsTheNextProposalAfterNa) {
  Dialer d = make({"/yamux/2.0.0", "/yamux/1.0.0"});
  auto first = d.on_bytes(concat({encode_message(protocol_id), encode_message(na)}));
  ASSERT_TRUE(first);
  EXPECT_EQ(to_hex(first->to_send), "0d2f79616d75782f312e302e300a");  // [CALC] alone, no header
  EXPECT_FALSE(first->selected);
  EXPECT_EQ(d.proposal(), "/yamux/1.0.0");
  auto second = d.on_bytes(encode_message("/yamux/1.0.0"));
  ASSERT_TRUE(second);
  ASSERT_TRUE(second->selected);
  EXPECT_EQ(second->selected->protocol, "/yamux/1.0.0");
}

TEST(MssDialer, FailsAfterTheLastNa) {
  Dialer d = make({"/a", "/b"});
  ASSERT_TRUE(d.on_bytes(concat({encode_message(protocol_id), encode_message(na)})));
  EXPECT_EQ(d.on_bytes(encode_message(na)).error(), errc::not_supported);
  EXPECT_EQ(d.state(), Dialer::State::failed);
  EXPECT_EQ(d.on_bytes(encode_message(na)).error(), errc::finished);
}

TEST(MssDialer, HandsBackBytesAfterTheEcho) {
  Dialer d = make({"/ipfs/id/1.0.0"});
  const Bytes app{0x05, 0x0a, 0x03, 'a', 'b', 'c'};
  auto step = d.on_bytes(concat({encode_message(protocol_id), encode_message("/ipfs/id/1.0.0"), app}));
  ASSERT_TRUE(step);
  ASSERT_TRUE(step->selected);
  EXPECT_EQ(step->selected->leftover, app);
}

TEST(MssDialer, RejectsGarbage) {
  Dialer wrong = make({"/noise"});
  EXPECT_EQ(wrong.on_bytes(encode_message("/multistream/2.0.0")).error(), errc::wrong_header);
  Dialer odd = make({"/noise"});
  EXPECT_EQ(odd.on_bytes(concat({encode_message(protocol_id), encode_message("/tls/1.0.0")})).error(),
            errc::unrecognized_response);
  Dialer big = make({"/noise"});
  EXPECT_EQ(big.on_bytes(Bytes{0x81, 0x08}).error(), errc::too_large);
  Dialer noline = make({"/noise"});
  EXPECT_EQ(noline.on_bytes(Bytes{0x02, 'n', 'a'}).error(), errc::missing_newline);
}

TEST(MssDialer, ValidatesItsProposals) {
  EXPECT_EQ(Dialer::create({}).error(), errc::no_protocols);
  EXPECT_EQ(Dialer::create({""}).error(), errc::invalid_protocol);
  EXPECT_EQ(Dialer::create({"na"}).error(), errc::invalid_protocol);
  EXPECT_EQ(Dialer::create({std::string(max_message_size, 'p')}).error(), errc::invalid_protocol);
  EXPECT_TRUE(Dialer::create({std::string(max_message_size - 1, 'p')}));
}

TEST(MssDialer, SplitAtEveryOffset) {
  const Bytes app{1, 2, 3};
  const Bytes in = concat({encode_message(protocol_id), encode_message(na),
                           encode_message("/noise"), app});
  for (std::size_t cut = 0; cut <= in.size(); ++cut) {
    Dialer d = make({"/tls/1.0.0", "/noise"});
    Bytes sent;
    std::optional<Selected> selected;
    auto first = d.on_bytes(ByteView(in).first(cut));
    ASSERT_TRUE(first) << "cut " << cut << ": " << first.error().message();
    sent = first->to_send;
    selected = first->selected;
    Bytes rest;  // bytes after the echo, wherever the cut fell
    if (selected) {
      rest = selected->leftover;
      rest.insert(rest.end(), in.begin() + static_cast<std::ptrdiff_t>(cut), in.end());
    } else {
      auto second = d.on_bytes(ByteView(in).subspan(cut));
      ASSERT_TRUE(second) << "cut " << cut << ": " << second.error().message();
      sent.insert(sent.end(), second->to_send.begin(), second->to_send.end());
      selected = second->selected;
      ASSERT_TRUE(selected) << "cut " << cut;
      rest = selected->leftover;
    }
    EXPECT_EQ(selected->protocol, "/noise");
    EXPECT_EQ(sent, encode_message("/noise")) << "cut " << cut;
    EXPECT_EQ(rest, app) << "cut " << cut;
  }
}

}  // namespace
}  // namespace cf::p2p::mss
