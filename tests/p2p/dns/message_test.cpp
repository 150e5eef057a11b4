// DNS query encoding (golden bytes) and reply decoding, hostile replies included.
#include "cf/p2p/dns/message.hpp"

#include <gtest/gtest.h>

#include "p2p/dns/fake_dns_server.hpp"

namespace cf::p2p::dns {
namespace {

const Question question{"_dnsaddr.example.com", rr_type::txt};
constexpr std::uint16_t id = 0x1234;

Bytes query() { return *encode_query(question, id); }

// Hand-built packets for the hostile cases.
struct Packet {
  Bytes b;
  Packet& u8(int v) {
    b.push_back(static_cast<std::uint8_t>(v));
    return *this;
  }
  Packet& u16(int v) { return u8(v >> 8).u8(v & 0xff); }
  Packet& text(std::string_view s) {
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  Packet& name(std::string_view dotted) {
    for (;;) {
      const auto dot = dotted.find('.');
      const auto label = dotted.substr(0, dot);
      u8(static_cast<int>(label.size())).text(label);
      if (dot == std::string_view::npos) break;
      dotted.remove_prefix(dot + 1);
    }
    return u8(0);
  }
  // Header of a NOERROR reply to `id` with one question and `an` answers, then the question.
  static Packet reply(int an, int flags = 0x8180) {
    Packet p;
    p.u16(id).u16(flags).u16(1).u16(an).u16(0).u16(0).name("_dnsaddr.example.com").u16(16).u16(1);
    return p;
  }
  // An answer's fixed part after its owner name.
  Packet& fixed(int type, int rdlength) { return u16(type).u16(1).u16(0).u16(60).u16(rdlength); }
};

TEST(DnsMessage, QueryGoldenBytes) {
  const Bytes expected = Packet{}
                             .u16(0x1234)
                             .u16(0x0100)  // RD
                             .u16(1).u16(0).u16(0).u16(1)
                             .name("_dnsaddr.example.com")
                             .u16(16).u16(1)  // TXT IN
                             .u8(0).u16(41).u16(1232).u16(0).u16(0).u16(0)  // OPT
                             .b;
  EXPECT_EQ(query(), expected);
  EXPECT_EQ(*encode_query(Question{"_dnsaddr.example.com.", rr_type::txt}, id), expected);
}

TEST(DnsMessage, RefusesUnusableNames) {
  const std::string label63(63, 'a');
  EXPECT_TRUE(encode_name(label63 + ".com"));
  const std::string long_name = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'a');
  EXPECT_EQ(encode_name(long_name)->size(), 255u);
  for (const std::string& bad : {std::string(""), std::string("."), std::string("a..b"), std::string(".a"),
                                std::string(64, 'a') + ".com", long_name + "a", std::string("a b.com"),
                                std::string("a\nb.com"), std::string("a/b"), std::string("\xff.com")}) {
    auto r = encode_name(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error(), errc::bad_query_name);
  }
}

TEST(DnsMessage, DecodesTxtAnswers) {
  const auto q = query();
  const auto packet =
      test::make_reply(q, {test::txt("dnsaddr=/ip4/1.2.3.4/tcp/4001"), test::txt(""), {"abc", "def", ""}});
  auto reply = decode_reply(packet, question, id);
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(reply->id, id);
  EXPECT_FALSE(reply->truncated);
  EXPECT_EQ(reply->rcode, rcode::no_error);
  EXPECT_EQ(reply->txt, (std::vector<std::string>{"dnsaddr=/ip4/1.2.3.4/tcp/4001", "", "abcdef"}));
}

TEST(DnsMessage, ConcatenatesTheStringsOfOneRecordLikeGo) {
  const std::string long_value = "dnsaddr=/dns4/" + std::string(300, 'h') + "/tcp/1";
  const auto packet = test::make_reply(query(), {{long_value.substr(0, 255), long_value.substr(255)}});
  auto reply = decode_reply(packet, question, id);
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(reply->txt, std::vector<std::string>{long_value});
}

TEST(DnsMessage, SkipsOtherTypesAndAcceptsTxtOfAnyOwnerLikeGo) {
  // A CNAME chain as a recursive server sends it: the TXT record belongs to the target.
  auto p = Packet::reply(3);
  p.u16(0xc00c).fixed(rr_type::cname, 11).name("other.org");  // CNAME _dnsaddr.example.com -> other.org
  const std::size_t other = p.b.size() - 11;
  p.u16(0xc000 | static_cast<int>(other)).fixed(16, 4).u8(3).text("xyz");
  p.name("unrelated.net").fixed(1, 4).u8(1).u8(2).u8(3).u8(4);  // an A record, skipped
  auto reply = decode_reply(p.b, question, id);
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(reply->txt, std::vector<std::string>{"xyz"});
}

TEST(DnsMessage, QuestionNameComparesCaseInsensitively) {
  auto p = Packet{};
  p.u16(id).u16(0x8180).u16(1).u16(1).u16(0).u16(0).name("_DNSADDR.Example.COM").u16(16).u16(1);
  p.u16(0xc00c).fixed(16, 2).u8(1).text("a");
  auto reply = decode_reply(p.b, question, id);
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(reply->txt, std::vector<std::string>{"a"});
}

TEST(DnsMessage, ChecksIdFlagsAndQuestion) {
  const auto good = test::make_reply(query(), {test::txt("a")});
  EXPECT_EQ(decode_reply(good, question, id + 1).error(), errc::id_mismatch);
  EXPECT_EQ(decode_reply(query(), question, id).error(), errc::not_a_reply);  // QR clear
  auto opcode = good;
  opcode[2] |= 0x10;  // opcode 2 (STATUS)
  EXPECT_EQ(decode_reply(opcode, question, id).error(), errc::not_a_reply);
  for (int qdcount : {0, 2}) {
    auto wrong = good;
    wrong[5] = static_cast<std::uint8_t>(qdcount);
    EXPECT_EQ(decode_reply(wrong, question, id).error(), errc::question_mismatch) << qdcount;
  }
  const Question other_name{"_dnsaddr.example.org", rr_type::txt};
  EXPECT_EQ(decode_reply(good, other_name, id).error(), errc::question_mismatch);
  EXPECT_EQ(decode_reply(good, Question{"_dnsaddr.example.com", 1}, id).error(), errc::question_mismatch);
  auto klass = good;
  klass[klass.size() - 15] = 3;  // the question's class (CH), just before the 14-byte answer
  EXPECT_EQ(decode_reply(klass, question, id).error(), errc::question_mismatch);
}

TEST(DnsMessage, TruncatedAndFailedRepliesCarryNoRecords) {
  // TC set: what follows the question may be cut anywhere, and is not read.
  auto tc = test::make_reply(query(), {test::txt("dnsaddr=/ip4/1.2.3.4/tcp/1")}, 0, true);
  tc.resize(tc.size() - 5);
  auto reply = decode_reply(tc, question, id);
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_TRUE(reply->truncated);
  EXPECT_TRUE(reply->txt.empty());
  for (std::uint8_t code : {rcode::server_failure, rcode::name_error, rcode::refused}) {
    auto failed = decode_reply(test::make_reply(query(), {test::txt("x")}, code), question, id);
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->rcode, code);
    EXPECT_TRUE(failed->txt.empty());
  }
}

TEST(DnsMessage, EveryTruncationFails) {
  const auto full = test::make_reply(query(), {test::txt("dnsaddr=/ip4/1.2.3.4/tcp/4001"), {"a", "b"}});
  ASSERT_TRUE(decode_reply(full, question, id));
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto r = decode_reply(ByteView(full.data(), n), question, id);
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error(), errc::truncated_message) << n << ": " << r.error().message();
  }
}

TEST(DnsMessage, RefusesPointerLoopsAndForwardPointers) {
  auto self = Packet::reply(1);
  self.u16(0xc000 | static_cast<int>(self.b.size())).fixed(16, 0);  // points at itself
  EXPECT_EQ(decode_reply(self.b, question, id).error(), errc::bad_pointer);

  auto forward = Packet::reply(1);
  forward.u16(0xc000 | static_cast<int>(forward.b.size() + 2)).u8(0).fixed(16, 0);
  EXPECT_EQ(decode_reply(forward.b, question, id).error(), errc::bad_pointer);

  // Label "a" then a pointer back to it: a loop even though every pointer points backwards.
  auto loop = Packet::reply(1);
  const auto label_at = static_cast<int>(loop.b.size());
  loop.u8(1).text("a").u16(0xc000 | label_at).fixed(16, 0);
  auto r = decode_reply(loop.b, question, id);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error() == errc::bad_name || r.error() == errc::bad_pointer) << r.error().message();

  // A chain of 40 pointers, each to the one before it: only backwards, but too many. The
  // chain sits in the RDATA of a record of an unknown type, which is skipped unread; the
  // second answer's owner name is the chain's last pointer.
  auto deep = Packet::reply(2);
  const auto base = static_cast<int>(deep.b.size());
  deep.u16(0xc00c).fixed(99, 80);
  for (int i = 0; i < 80; ++i) deep.u8(0);
  const auto rdata_at = base + 12;
  for (int i = 0; i < 40; ++i) {
    const int target = i == 0 ? 12 : rdata_at + 2 * (i - 1);
    deep.b[static_cast<std::size_t>(rdata_at + 2 * i)] = static_cast<std::uint8_t>(0xc0 | (target >> 8));
    deep.b[static_cast<std::size_t>(rdata_at + 2 * i + 1)] = static_cast<std::uint8_t>(target & 0xff);
  }
  deep.u16(0xc000 | (rdata_at + 2 * 39)).fixed(16, 0);  // second answer: the end of the chain
  r = decode_reply(deep.b, question, id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::bad_pointer);
  EXPECT_NE(r.error().message().find("too many"), std::string::npos) << r.error().message();
}

TEST(DnsMessage, RefusesLongNamesAndReservedLabels) {
  // 5 labels of 63 bytes: 320 bytes, over 255.
  auto long_owner = Packet::reply(1);
  for (int i = 0; i < 5; ++i) long_owner.u8(63).text(std::string(63, 'x'));
  long_owner.u8(0).fixed(16, 0);
  EXPECT_EQ(decode_reply(long_owner.b, question, id).error(), errc::bad_name);

  for (int type : {0x40, 0x80}) {
    auto reserved = Packet::reply(1);
    reserved.u8(type | 1).text("a").u8(0).fixed(16, 0);
    EXPECT_EQ(decode_reply(reserved.b, question, id).error(), errc::bad_name) << type;
  }
}

TEST(DnsMessage, RefusesBadRdataAndAbsurdCounts) {
  auto overrun = Packet::reply(1);
  overrun.u16(0xc00c).fixed(16, 3).u8(5).text("ab");  // a 5-byte string in 3 bytes of RDATA
  EXPECT_EQ(decode_reply(overrun.b, question, id).error(), errc::bad_rdata);

  auto past_end = Packet::reply(1);
  past_end.u16(0xc00c).fixed(16, 400).u8(3).text("abc");
  EXPECT_EQ(decode_reply(past_end.b, question, id).error(), errc::truncated_message);

  auto huge = Packet::reply(0xffff);
  huge.u16(0xc00c).fixed(16, 2).u8(1).text("a");
  auto r = decode_reply(huge.b, question, id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::too_many_records);
  EXPECT_NE(r.error().message().find("65535"), std::string::npos);

  auto missing = Packet::reply(5);  // announces 5, carries 1
  missing.u16(0xc00c).fixed(16, 2).u8(1).text("a");
  EXPECT_EQ(decode_reply(missing.b, question, id).error(), errc::truncated_message);
}

}  // namespace
}  // namespace cf::p2p::dns
