// Pin JSON against real ipfs-cluster v1.1.6 answers (tests/vectors/rest, see PROVENANCE.md).
#include "cf/cluster/pin.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cf::cluster {
namespace {

namespace mf = multiformats;
using Json = nlohmann::json;

constexpr const char* trusted_id = "12D3KooWEqAP93RVeWkndtBsTTAmUUWvH2mLqLbptA3j1q2DyKKB";
constexpr const char* follower_id = "12D3KooWGZCjgKraWsKLJD9cGJytzPmoUGrVoHBHiY6y4dFuNBHZ";
constexpr const char* kubo_a_id = "12D3KooWEUYQBLbiKKrKT9jzrZpfH4XtckhrL9YXQvp9or7bokGn";

std::filesystem::path vectors() { return std::filesystem::path(CF_SOURCE_DIR) / "tests/vectors/rest"; }

std::string read_vector(const std::string& name) {
  std::ifstream in(vectors() / name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Pin parse_vector(const std::string& name) {
  auto pin = pin_from_json(read_vector(name));
  EXPECT_TRUE(pin) << name << ": " << pin.error().message();
  return pin ? *pin : Pin{*mf::Cid::parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")};
}

mf::Cid cid(const char* text) { return *mf::Cid::parse(text); }
mf::PeerId peer(const char* text) { return *mf::PeerId::parse(text); }

TEST(PinJson, EveryCapturedPinParsesAndPrintsBackByteForByte) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(vectors())) {
    auto name = entry.path().filename().string();
    if (!name.starts_with("pin_")) continue;
    ++files;
    auto text = read_vector(name);
    auto pin = pin_from_json(text);
    ASSERT_TRUE(pin) << name << ": " << pin.error().message();
    // Upstream's keys, order and escaping; the lab ran in UTC with whole-second times.
    EXPECT_EQ(to_json(*pin), text) << name;
  }
  EXPECT_EQ(files, 12);
}

TEST(PinJson, EveryLineOfTheCapturedStreamParses) {
  std::istringstream stream(read_vector("allocations_filter_all.json"));
  std::string line;
  int lines = 0;
  while (std::getline(stream, line)) {
    ++lines;
    auto pin = pin_from_json(line);
    ASSERT_TRUE(pin) << "line " << lines << ": " << pin.error().message();
    EXPECT_EQ(to_json(*pin), line);
  }
  EXPECT_EQ(lines, 13);
}

TEST(PinJson, TheBriefsSampleLines) {
  auto upd = pin_from_json(
      R"({"replication_factor_min":-1,"replication_factor_max":-1,"name":"upd","mode":"recursive","shard_size":0,"user_allocations":null,"expire_at":"0001-01-01T00:00:00Z","metadata":null,"pin_update":"QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv","origins":[],"cid":"bafkreiazgg3p7t52sxk26o346ni5hq4x5md4p4q7oiiysoon2ycqsthrre","type":"pin","allocations":[],"max_depth":-1,"reference":null,"timestamp":"2026-11-28T02:09:41Z"})");
  ASSERT_TRUE(upd) << upd.error().message();
  EXPECT_EQ(upd->cid, cid("bafkreiazgg3p7t52sxk26o346ni5hq4x5md4p4q7oiiysoon2ycqsthrre"));
  EXPECT_EQ(upd->pin_update, cid("QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv"));
  EXPECT_EQ(upd->name, "upd");
  EXPECT_EQ(upd->timestamp, 1795831781);
  EXPECT_FALSE(upd->expire_at);
}

TEST(PinJson, PlainAndDirect) {
  auto plain = parse_vector("pin_plain.json");
  EXPECT_EQ(plain.type, PinType::data);
  EXPECT_EQ(plain.max_depth, -1);
  EXPECT_EQ(plain.name, "plain");
  EXPECT_EQ(plain.replication_factor_min, -1);
  EXPECT_EQ(plain.replication_factor_max, -1);
  EXPECT_TRUE(plain.allocations.empty());
  EXPECT_TRUE(plain.origins.empty());
  EXPECT_TRUE(plain.metadata.empty());
  EXPECT_FALSE(plain.reference);
  EXPECT_FALSE(plain.pin_update);
  EXPECT_FALSE(plain.expire_at);
  auto direct = parse_vector("pin_direct.json");
  EXPECT_EQ(direct.max_depth, 0);
  EXPECT_EQ(direct.cid.version(), 1);
}

TEST(PinJson, ExpireAtMetadataAndEscapedNames) {
  auto expiring = parse_vector("pin_expire_in.json");
  EXPECT_EQ(expiring.expire_at, 1795835599);  // 2026-11-28T03:13:19Z, one hour after its timestamp
  EXPECT_EQ(expiring.timestamp, 1795831999);
  auto meta = parse_vector("pin_metadata.json");
  EXPECT_EQ(meta.name, "meta <&> \xc3\xa9");
  EXPECT_EQ(meta.metadata, (std::map<std::string, std::string>{{"k", "v"}, {"note", "a<b>&\"c\""}}));
}

TEST(PinJson, ReplicationAllocationsOriginsUpdate) {
  auto repl = parse_vector("pin_replication.json");
  EXPECT_EQ(repl.replication_factor_min, 1);
  EXPECT_EQ(repl.replication_factor_max, 1);
  EXPECT_EQ(repl.allocations, std::vector<mf::PeerId>{peer(trusted_id)});
  auto origins = parse_vector("pin_origins.json");
  ASSERT_EQ(origins.origins.size(), 2u);
  EXPECT_EQ(origins.origins[0].to_string(), std::string("/ip4/127.0.0.1/tcp/4001/p2p/") + kubo_a_id);
  EXPECT_EQ(origins.origins[1].to_string(), std::string("/dns4/example.invalid/tcp/4001/p2p/") + kubo_a_id);
  auto update = parse_vector("pin_update.json");
  auto from = parse_vector("pin_update_from.json");
  EXPECT_EQ(update.pin_update, from.cid);
}

TEST(PinJson, ShardedDagPins) {
  auto meta = parse_vector("pin_meta.json");
  auto dag = parse_vector("pin_clusterdag.json");
  auto first = parse_vector("pin_shard_first.json");
  auto second = parse_vector("pin_shard.json");
  EXPECT_EQ(meta.type, PinType::meta);
  EXPECT_EQ(dag.type, PinType::cluster_dag);
  EXPECT_EQ(second.type, PinType::shard);
  EXPECT_EQ(meta.reference, dag.cid);
  EXPECT_EQ(dag.reference, meta.cid);
  EXPECT_EQ(dag.max_depth, 0);
  EXPECT_EQ(dag.shard_size, 300000u);
  EXPECT_EQ(second.reference, first.cid);
  EXPECT_FALSE(first.reference);
  EXPECT_EQ(second.max_depth, 1);
  EXPECT_EQ(second.shard_size, 262158u);
  EXPECT_EQ(second.allocations, std::vector<mf::PeerId>{peer(follower_id)});
}

TEST(PinJson, PostAnswerWithFractionEmptyMetadataAndNullOrigins) {
  auto posted = parse_vector("post_pins_response.json");
  EXPECT_EQ(posted.timestamp, 1795832035);  // .479656129 dropped
  EXPECT_TRUE(posted.metadata.empty());
  EXPECT_TRUE(posted.origins.empty());
  EXPECT_EQ(posted.name, "posted");
}

TEST(PinJson, RoundTripOfEveryField) {
  Pin pin{cid("bafkreiazgg3p7t52sxk26o346ni5hq4x5md4p4q7oiiysoon2ycqsthrre")};
  pin.type = PinType::shard;
  pin.max_depth = 2;
  pin.name = "n\"<x>\n";
  pin.allocations = {peer(trusted_id), peer(follower_id)};
  pin.replication_factor_min = 1;
  pin.replication_factor_max = 3;
  pin.reference = cid("QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv");
  pin.shard_size = 18446744073709551615u;
  pin.origins = {*mf::Multiaddr::parse(std::string("/ip4/127.0.0.1/tcp/4001/p2p/") + kubo_a_id)};
  pin.metadata = {{"a", "1"}, {"b&", "\t"}};
  pin.pin_update = cid("QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv");
  pin.expire_at = 4102444800;  // 2100-01-01
  pin.timestamp = 1795831781;
  auto text = to_json(pin);
  auto back = pin_from_json(text);
  ASSERT_TRUE(back) << back.error().message() << "\n" << text;
  EXPECT_EQ(*back, pin);
  EXPECT_NE(text.find("\"mode\":\"recursive\""), std::string::npos);
  EXPECT_NE(text.find("\"expire_at\":\"2100-01-01T00:00:00Z\""), std::string::npos);
}

TEST(PinJson, AbsentKeysKeepDefaults) {
  auto pin = pin_from_json(R"({"cid":"QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv","type":"pin","future_key":{"x":[1]}})");
  ASSERT_TRUE(pin) << pin.error().message();
  EXPECT_EQ(*pin, Pin{cid("QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv")});
}

// Each mutation of a valid pin must fail naming the field and quoting the value.
TEST(PinJson, BadFieldsNameTheFieldAndValue) {
  const auto base = Json::parse(read_vector("pin_replication.json"));
  struct Case {
    const char* key;
    Json value;
    const char* expected;
  };
  const Case cases[] = {
      {"cid", "Qmnope", "pin: cid: invalid CID \"Qmnope\""},
      {"cid", 5, "pin: cid: must be a CID string or null, got 5"},
      {"cid", nullptr, "pin: cid: missing"},
      {"type", "all", "pin: type: must be \"pin\", \"meta-pin\", \"clusterdag-pin\" or \"shard-pin\", got \"all\""},
      {"type", nullptr, "pin: type: missing"},
      {"max_depth", -2, "pin: max_depth: must be an integer from -1 to 2147483647, got -2"},
      {"max_depth", 1.5, "pin: max_depth: must be an integer, got 1.5"},
      {"mode", "direct", "pin: mode: \"direct\" contradicts max_depth -1"},
      {"mode", "sideways", "pin: mode: must be \"recursive\" or \"direct\", got \"sideways\""},
      {"name", 7, "pin: name: must be a string, got 7"},
      {"replication_factor_min", -5, "pin: replication_factor_min: must be an integer from -1"},
      {"replication_factor_max", 4294967296LL, "got 4294967296"},
      {"shard_size", -1, "pin: shard_size: must be a non-negative integer, got -1"},
      {"allocations", "x", "pin: allocations: must be an array of peer ID strings, got \"x\""},
      {"allocations", Json::array({trusted_id, "bogus"}), "pin: allocations[1]: invalid peer ID \"bogus\""},
      {"allocations", Json::array({1}), "pin: allocations[0]: must be a peer ID string, got 1"},
      {"origins", Json::array({"/ip4/1.2.3.4/tcpx/1"}), "pin: origins[0]: invalid multiaddr \"/ip4/1.2.3.4/tcpx/1\""},
      {"metadata", Json::array(), "pin: metadata: must be an object of strings or null, got []"},
      {"metadata", Json{{"k", 1}}, "pin: metadata.k: must be a string, got 1"},
      {"pin_update", "nope", "pin: pin_update: invalid CID \"nope\""},
      {"reference", Json::object(), "pin: reference: must be a CID string or null, got {}"},
      {"expire_at", "tomorrow", "pin: expire_at: invalid time \"tomorrow\""},
      {"expire_at", "1969-12-31T23:59:59Z", "pin: expire_at: invalid time \"1969-12-31T23:59:59Z\": before 1970"},
      {"timestamp", 1795831781, "pin: timestamp: must be an RFC 3339 time string, got 1795831781"},
  };
  for (const auto& c : cases) {
    auto doc = base;
    doc[c.key] = c.value;
    auto pin = pin_from_json(doc.dump());
    ASSERT_FALSE(pin) << c.key << " = " << c.value.dump();
    EXPECT_EQ(pin.error(), pinset_errc::invalid_pin);
    EXPECT_NE(pin.error().message().find(c.expected), std::string::npos)
        << c.key << ": got \"" << pin.error().message() << "\", want \"" << c.expected << "\"";
  }
}

TEST(PinJson, MalformedDocuments) {
  for (const char* text : {"", "{", "[]", "\"pin\"", "{\"cid\":}", "null"}) {
    auto pin = pin_from_json(text);
    ASSERT_FALSE(pin) << text;
    EXPECT_EQ(pin.error(), pinset_errc::invalid_pin) << text;
    EXPECT_TRUE(pin.error().message().starts_with("pin: ")) << pin.error().message();
  }
}

TEST(PinJson, SizesAreBounded) {
  auto base = Json::parse(read_vector("pin_plain.json"));
  auto big = base;
  big["name"] = std::string(max_pin_json_size, 'x');
  auto r = pin_from_json(big.dump());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), pinset_errc::too_large);

  auto many = base;
  many["allocations"] = Json::array();
  for (std::size_t i = 0; i <= max_pin_list_size; ++i) many["allocations"].push_back(trusted_id);
  r = pin_from_json(many.dump());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("pin: allocations: has 10001 entries, more than 10000"), std::string::npos);

  auto deep = base;
  deep["extra"] = Json::parse(std::string(100, '[') + std::string(100, ']'));
  r = pin_from_json(deep.dump());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("nested deeper"), std::string::npos);

  // A REST API pins line the size of the issue's template (~70,000 levels, 140 KB).
  for (const auto& line : {std::string(R"({"cid":"QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n","x":)") + std::string(70'000, '[') +
                               std::string(70'000, ']') + "}",
                           std::string(70'000, '{') }) {
    r = pin_from_json(line);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), pinset_errc::invalid_pin);
    EXPECT_EQ(r.error().message(), "pin: JSON nested deeper than 32 levels");
  }
}

TEST(PinJson, ValuesInErrorsAreDescribedNotReSerialised) {
  const std::string cid = R"({"cid":"QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n","type":"pin",)";
  auto r = pin_from_json(cid + R"("name":{"k":"secret-text"}})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "pin: name: must be a string, got an object of 1 key");
  r = pin_from_json(cid + R"("name":[1,2]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "pin: name: must be a string, got an array of 2 items");
  r = pin_from_json(std::string(R"({"cid":"QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n","type":")") +
                    std::string(500, 'a') + R"("})");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find(std::string("got \"") + std::string(117, 'a') + "\"..."), std::string::npos);
}

TEST(PinType, NamesAreUpstreams) {
  for (auto [type, name] : {std::pair{PinType::data, "pin"}, std::pair{PinType::meta, "meta-pin"},
                            std::pair{PinType::cluster_dag, "clusterdag-pin"},
                            std::pair{PinType::shard, "shard-pin"}}) {
    EXPECT_EQ(to_string(type), name);
    EXPECT_EQ(parse_pin_type(name), type);
  }
  EXPECT_FALSE(parse_pin_type("all"));
  EXPECT_FALSE(parse_pin_type("bad-type"));
  EXPECT_FALSE(parse_pin_type(""));
  EXPECT_EQ(pin_mode_name(-1), "recursive");
  EXPECT_EQ(pin_mode_name(0), "direct");
  EXPECT_EQ(pin_mode_name(1), "recursive");
}

TEST(GoTime, ParsesWhatGoWrites) {
  EXPECT_EQ(parse_go_time("2026-11-28T02:09:41Z").value_or(-1), 1795831781);
  EXPECT_EQ(parse_go_time("2026-11-28T02:09:41.999999999Z").value_or(-1), 1795831781);
  EXPECT_EQ(parse_go_time("2026-11-28T03:09:41+01:00").value_or(-1), 1795831781);
  EXPECT_EQ(parse_go_time("2026-11-27T21:39:41-04:30").value_or(-1), 1795831781);
  EXPECT_EQ(parse_go_time("0001-01-01T00:00:00Z").value_or(-1), 0);
  EXPECT_EQ(parse_go_time("1970-01-01T00:00:00Z").value_or(-1), 0);
  EXPECT_EQ(parse_go_time("2024-02-29T00:00:00Z").value_or(-1), 1709164800);
  EXPECT_EQ(parse_go_time("2100-01-01T00:00:00Z").value_or(-1), 4102444800);
}

TEST(GoTime, RejectsOtherText) {
  for (const char* text : {"", "2026-11-28", "2026-11-28 02:09:41Z", "2026-11-28t02:09:41Z",
                           "2026-11-28T02:09:41", "2026-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                           "2026-11-28T24:00:00Z", "2026-11-28T02:60:00Z", "2026-11-28T02:09:60Z",
                           "2026-11-28T02:09:41.Z", "2026-11-28T02:09:41.1234567890Z",
                           "2026-11-28T02:09:41+0100", "2026-11-28T02:09:41Zjunk",
                           "1969-12-31T23:59:59Z", "0001-01-01T00:00:01Z"}) {
    auto t = parse_go_time(text);
    ASSERT_FALSE(t) << text;
    EXPECT_NE(t.error().message().find(std::string("\"") + text + "\""), std::string::npos) << text;
  }
}

TEST(GoTime, Formats) {
  EXPECT_EQ(format_go_time(1795831781), "2026-11-28T02:09:41Z");
  EXPECT_EQ(format_go_time(0), "0001-01-01T00:00:00Z");
  EXPECT_EQ(format_go_time(-5), "0001-01-01T00:00:00Z");
  EXPECT_EQ(format_go_time(1), "1970-01-01T00:00:01Z");
  EXPECT_EQ(format_go_time(951782400), "2000-02-29T00:00:00Z");
}

Pin capped_sample() { return *pin_from_json(R"({"cid":"QmUUrKneZR4fzbcmtCiXFcszMTEZcCjn5K6TCXmbKZRiEw","type":"pin"})"); }

TEST(PinCaps, ShortFieldsAreKept) {
  auto pin = capped_sample();
  pin.name = std::string(max_pin_name_size, 'a');
  pin.metadata = {{"k", std::string(max_pin_metadata_size - 1, 'v')}};
  auto before = pin;
  EXPECT_FALSE(cap_pin_fields(pin).any());
  EXPECT_EQ(pin, before);
}

TEST(PinCaps, ANameIsCutAtACharacterBoundary) {
  auto pin = capped_sample();
  // "é" is two bytes; the cut at max_pin_name_size falls inside the last one.
  pin.name = std::string(max_pin_name_size - 1, 'a') + "\xc3\xa9" + std::string(100, 'b');
  auto capped = cap_pin_fields(pin);
  EXPECT_TRUE(capped.name);
  EXPECT_FALSE(capped.metadata);
  EXPECT_EQ(pin.name, std::string(max_pin_name_size - 1, 'a'));
  pin.name = std::string(1024 * 1024, 'n');
  cap_pin_fields(pin);
  EXPECT_EQ(pin.name.size(), max_pin_name_size);
}

TEST(PinCaps, MetadataKeepsEntriesInKeyOrderWhileTheyFit) {
  auto pin = capped_sample();
  const std::string half(max_pin_metadata_size / 2 - 10, 'v');
  pin.metadata = {{"a", half}, {"b", half}, {"c", half}, {"d", "small"}};
  auto capped = cap_pin_fields(pin);
  EXPECT_TRUE(capped.metadata);
  EXPECT_EQ(pin.metadata, (std::map<std::string, std::string>{{"a", half}, {"b", half}}));
  auto again = pin;
  EXPECT_FALSE(cap_pin_fields(again).any());  // idempotent
}

TEST(PinJson, BadPinsAreClassified) {
  EXPECT_EQ(inspect_bad_pin_json("garbage").reason, BadPinReason::malformed);
  EXPECT_EQ(inspect_bad_pin_json("[1,2]").reason, BadPinReason::malformed);
  EXPECT_EQ(inspect_bad_pin_json(std::string(200, '[')).reason, BadPinReason::malformed);
  EXPECT_EQ(inspect_bad_pin_json(R"({"type":"pin"})").reason, BadPinReason::invalid_cid);
  EXPECT_EQ(inspect_bad_pin_json(R"({"cid":"nope","type":"pin"})").reason, BadPinReason::invalid_cid);
  EXPECT_EQ(inspect_bad_pin_json(std::string(max_pin_json_size + 1, ' ')).reason, BadPinReason::too_large);
  auto bad_time = inspect_bad_pin_json(
      R"({"cid":"QmUUrKneZR4fzbcmtCiXFcszMTEZcCjn5K6TCXmbKZRiEw","type":"pin","expire_at":"1969-07-20T20:17:00Z"})");
  EXPECT_EQ(bad_time.reason, BadPinReason::invalid_field);
  ASSERT_TRUE(bad_time.cid);
  EXPECT_EQ(bad_time.cid->to_string(), "QmUUrKneZR4fzbcmtCiXFcszMTEZcCjn5K6TCXmbKZRiEw");
  EXPECT_EQ(to_string(BadPinReason::invalid_field), "invalid_field");
}

}  // namespace
}  // namespace cf::cluster
