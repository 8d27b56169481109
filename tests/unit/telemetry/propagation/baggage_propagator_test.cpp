// W3C Baggage header parsing/formatting and BaggagePropagator.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "telemetry/propagation/w3c_baggage.hpp"

namespace hotorder::telemetry {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

std::string Member(int index, std::size_t size) {
  std::string member = "k" + std::to_string(index) + "=";
  member.append(size - member.size(), 'v');
  return member;
}

std::string Join(const std::vector<std::string>& members) {
  std::string out;
  for (const auto& m : members) {
    if (!out.empty()) out += ',';
    out += m;
  }
  return out;
}

Baggage FromMembers(const std::vector<std::string>& members) {
  Baggage baggage;
  for (const auto& m : members) {
    const auto eq = m.find('=');
    baggage = baggage.Set(m.substr(0, eq), m.substr(eq + 1));
  }
  return baggage;
}

TEST(BaggageHeader, ParsesSpecExampleWithProperties) {
  const Baggage baggage = ParseBaggageHeader(
      "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue");
  ASSERT_EQ(baggage.entries().size(), 3u);
  EXPECT_EQ(baggage.entries()[0], (BaggageEntry{"key1", "value1", "property1;property2"}));
  EXPECT_EQ(baggage.entries()[1], (BaggageEntry{"key2", "value2", ""}));
  EXPECT_EQ(baggage.entries()[2], (BaggageEntry{"key3", "value3", "propertyKey=propertyValue"}));
}

TEST(BaggageHeader, OwsAroundKeyValueAndEqualsIsDropped) {
  const Baggage baggage = ParseBaggageHeader("\tuserId =   alice , serverNode\t=\tDF%2028 ");
  EXPECT_EQ(baggage.Get("userId"), "alice");
  EXPECT_EQ(baggage.Get("serverNode"), "DF 28");
}

TEST(BaggageHeader, PercentDecodesValues) {
  const Baggage baggage =
      ParseBaggageHeader("userId=Am%C3%A9lie,serverNode=DF%2028,isProduction=false,lower=%c3%a9");
  EXPECT_EQ(baggage.Get("userId"), "Am\xC3\xA9lie");
  EXPECT_EQ(baggage.Get("serverNode"), "DF 28");
  EXPECT_EQ(baggage.Get("isProduction"), "false");
  EXPECT_EQ(baggage.Get("lower"), "\xC3\xA9");
}

TEST(BaggageHeader, ValueMayContainEqualsSigns) {
  EXPECT_EQ(ParseBaggageHeader("k==a=b=").Get("k"), "=a=b=");
}

TEST(BaggageHeader, EmptyValueIsAllowed) {
  const Baggage baggage = ParseBaggageHeader("k=,other=1");
  EXPECT_EQ(baggage.Get("k"), "");
  EXPECT_EQ(baggage.Get("other"), "1");
}

TEST(BaggageHeader, MalformedEscapeInvalidatesOnlyThatMember) {
  for (const char* bad : {"a=%G1", "a=%4", "a=abc%", "a=%", "a=%%41", "a=%4g"}) {
    const Baggage baggage = ParseBaggageHeader(std::string(bad) + ",b=2");
    EXPECT_FALSE(baggage.Get("a").has_value()) << bad;
    EXPECT_EQ(baggage.Get("b"), "2") << bad;
  }
}

TEST(BaggageHeader, DecodedBytesThatAreNotUtf8BecomeReplacementCharacter) {
  EXPECT_EQ(ParseBaggageHeader("a=%FF").Get("a"), kReplacement);
  EXPECT_EQ(ParseBaggageHeader("a=x%C3").Get("a"), "x" + kReplacement);         // truncated
  EXPECT_EQ(ParseBaggageHeader("a=%E2%82x").Get("a"), kReplacement + "x");      // one subpart
  EXPECT_EQ(ParseBaggageHeader("a=%C0%AF").Get("a"), kReplacement + kReplacement);  // overlong
  EXPECT_EQ(ParseBaggageHeader("a=%ED%A0%80").Get("a"),                         // surrogate
            kReplacement + kReplacement + kReplacement);
  EXPECT_EQ(ParseBaggageHeader("a=%F0%9F%98%80").Get("a"), "\xF0\x9F\x98\x80");  // valid 4-byte
}

TEST(BaggageHeader, InvalidMembersAreSkippedAndTheRestKept) {
  const Baggage baggage = ParseBaggageHeader(
      "noequals,=nokey,bad key=v,k=v v,q=\"x\",bs=a\\b,good=1,semi;=x,u=caf\xC3\xA9,also=2");
  ASSERT_EQ(baggage.entries().size(), 2u);
  EXPECT_EQ(baggage.Get("good"), "1");
  EXPECT_EQ(baggage.Get("also"), "2");
}

TEST(BaggageHeader, InvalidPropertiesInvalidateTheMember) {
  for (const char* bad : {"a=1;", "a=1;;p", "a=1;bad prop", "a=1;p=x y", "a=1;=x", "a=1;p=\"q\""}) {
    const Baggage baggage = ParseBaggageHeader(std::string(bad) + ",b=2");
    EXPECT_FALSE(baggage.Get("a").has_value()) << bad;
    EXPECT_EQ(baggage.Get("b"), "2") << bad;
  }
}

TEST(BaggageHeader, PropertiesAreKeptVerbatim) {
  const Baggage baggage = ParseBaggageHeader("k = v ; p1 ; p2 = %20x ");
  ASSERT_EQ(baggage.entries().size(), 1u);
  EXPECT_EQ(baggage.entries()[0].metadata, "p1 ; p2 = %20x");
  EXPECT_EQ(FormatBaggageHeader(baggage), "k=v;p1 ; p2 = %20x");
}

TEST(BaggageHeader, RepeatedKeyKeepsFirstPositionAndLastValue) {
  const Baggage baggage = ParseBaggageHeader("k=1,other=x,k=2");
  ASSERT_EQ(baggage.entries().size(), 2u);
  EXPECT_EQ(baggage.entries()[0].key, "k");
  EXPECT_EQ(baggage.Get("k"), "2");
}

TEST(BaggageHeader, FormatsSpecExample) {
  const Baggage baggage = Baggage()
                              .Set("userId", "Am\xC3\xA9lie")
                              .Set("serverNode", "DF 28")
                              .Set("isProduction", "false");
  EXPECT_EQ(FormatBaggageHeader(baggage),
            "userId=Am%C3%A9lie,serverNode=DF%2028,isProduction=false");
}

TEST(BaggageHeader, EncodesEverythingOutsideBaggageOctetAndPercent) {
  const Baggage baggage = Baggage().Set("k", " ,;%\"\\\t\x7f=~!");
  EXPECT_EQ(FormatBaggageHeader(baggage), "k=%20%2C%3B%25%22%5C%09%7F=~!");
}

TEST(BaggageHeader, PercentEncodingRoundTrips) {
  const std::string values[] = {
      "hello world", "a,b",       "a;b",          "100%",         "%41 is not A",
      "Am\xC3\xA9lie", "\xE2\x98\x83 snow", "\xF0\x9F\x98\x80", "\"quoted\"", "back\\slash",
      "=eq=",         "",          "tab\there",    "  spaces  ",   "a+b",
  };
  for (const std::string& value : values) {
    const Baggage sent = Baggage().Set("k", value).Set("other", "x");
    const std::string header = FormatBaggageHeader(sent);
    EXPECT_EQ(header.find_first_of(" \t\"\\;"), std::string::npos) << header;
    const Baggage received = ParseBaggageHeader(header);
    EXPECT_EQ(received.Get("k"), value) << header;
    EXPECT_EQ(received.Get("other"), "x") << header;
  }
}

TEST(BaggageHeader, MetadataThatIsNotPropertySyntaxIsLeftOffWhenWriting) {
  EXPECT_EQ(FormatBaggageHeader(Baggage().Set("k", "v", "p1;p2=x")), "k=v;p1;p2=x");
  EXPECT_EQ(FormatBaggageHeader(Baggage().Set("k", "v", "bad,meta")), "k=v");
  EXPECT_EQ(FormatBaggageHeader(Baggage().Set("k", "v", "p=a b")), "k=v");
}

TEST(BaggageLimits, ExtractKeeps64MembersAndIgnoresThe65th) {
  std::vector<std::string> members;
  for (int i = 1; i <= 65; ++i) {
    members.push_back("k" + std::to_string(i) + "=" + std::to_string(i));
  }
  const Baggage baggage = ParseBaggageHeader(Join(members));
  EXPECT_EQ(baggage.entries().size(), 64u);
  EXPECT_EQ(baggage.Get("k64"), "64");
  EXPECT_FALSE(baggage.Get("k65").has_value());
}

TEST(BaggageLimits, InvalidMembersDoNotCountTowardsTheMemberLimit) {
  std::vector<std::string> members;
  for (int i = 1; i <= 64; ++i) {
    members.push_back("bad key=" + std::to_string(i));
    members.push_back("k" + std::to_string(i) + "=" + std::to_string(i));
  }
  EXPECT_EQ(ParseBaggageHeader(Join(members)).entries().size(), 64u);
}

TEST(BaggageLimits, ExtractKeepsExactly8192BytesAndIgnoresMembersBeyond) {
  // 7 members of 1000 bytes, 6 commas between them and the comma before the 8th = 7007 bytes;
  // an 8th member of 1185 bytes brings the total to exactly 8192.
  std::vector<std::string> members;
  for (int i = 1; i <= 7; ++i) members.push_back(Member(i, 1000));
  members.push_back(Member(8, 8192 - 7007));
  ASSERT_EQ(Join(members).size(), 8192u);
  EXPECT_EQ(ParseBaggageHeader(Join(members)).entries().size(), 8u);

  members.back() = Member(8, 8192 - 7007 + 1);  // one byte over
  ASSERT_EQ(Join(members).size(), 8193u);
  const Baggage baggage = ParseBaggageHeader(Join(members));
  EXPECT_EQ(baggage.entries().size(), 7u);
  EXPECT_FALSE(baggage.Get("k8").has_value());
}

TEST(BaggageLimits, InjectWritesAtMost64Members) {
  std::vector<std::string> members;
  for (int i = 1; i <= 65; ++i) {
    members.push_back("k" + std::to_string(i) + "=" + std::to_string(i));
  }
  const std::string header = FormatBaggageHeader(FromMembers(members));
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), 63);
  EXPECT_EQ(ParseBaggageHeader(header).Get("k64"), "64");
  EXPECT_EQ(header.find("k65="), std::string::npos);
}

TEST(BaggageLimits, InjectWritesExactly8192BytesAndDropsWholeMembersBeyond) {
  std::vector<std::string> members;
  for (int i = 1; i <= 7; ++i) members.push_back(Member(i, 1000));
  members.push_back(Member(8, 8192 - 7007));
  EXPECT_EQ(FormatBaggageHeader(FromMembers(members)).size(), 8192u);

  members.back() = Member(8, 8192 - 7007 + 1);
  members.push_back("z=1");  // still fits after the oversized member is dropped
  const std::string header = FormatBaggageHeader(FromMembers(members));
  EXPECT_EQ(header.size(), 7006u + 4u);
  EXPECT_EQ(header.find("k8="), std::string::npos);
  EXPECT_EQ(header.substr(header.size() - 4), ",z=1");
}

TEST(BaggageLimits, EncodedSizeCountsTowardsTheByteLimit) {
  // 3000 spaces encode to 9000 bytes: the member cannot fit and is dropped whole.
  const Baggage baggage = Baggage().Set("big", std::string(3000, ' ')).Set("small", "1");
  EXPECT_EQ(FormatBaggageHeader(baggage), "small=1");
}

TEST(BaggagePropagator, ExtractCombinesMultipleHeaders) {
  const HeaderMap carrier{{"baggage", "userId=alice"},
                          {"Baggage", "serverNode=DF%2028,isProduction=false"}};
  const Context context = BaggagePropagator().Extract(carrier, Context{});
  ASSERT_EQ(context.baggage.entries().size(), 3u);
  EXPECT_EQ(context.baggage.entries()[0].key, "userId");
  EXPECT_EQ(context.baggage.Get("serverNode"), "DF 28");
  EXPECT_EQ(context.baggage.Get("isProduction"), "false");
}

TEST(BaggagePropagator, LimitsApplyToTheCombinationOfHeaders) {
  std::vector<std::string> first;
  std::vector<std::string> second;
  for (int i = 1; i <= 40; ++i) first.push_back("a" + std::to_string(i) + "=1");
  for (int i = 1; i <= 40; ++i) second.push_back("b" + std::to_string(i) + "=1");
  HeaderMap carrier;
  carrier.Add("baggage", Join(first));
  carrier.Add("baggage", Join(second));
  const Context context = BaggagePropagator().Extract(carrier, Context{});
  EXPECT_EQ(context.baggage.entries().size(), 64u);
  EXPECT_TRUE(context.baggage.Get("b24").has_value());
  EXPECT_FALSE(context.baggage.Get("b25").has_value());
}

TEST(BaggagePropagator, FoundBaggageReplacesTheContextsBaggage) {
  Context context;
  context.baggage = Baggage().Set("old", "1");
  const Context extracted = BaggagePropagator().Extract(HeaderMap{{"baggage", "new=2"}}, context);
  EXPECT_FALSE(extracted.baggage.Get("old").has_value());
  EXPECT_EQ(extracted.baggage.Get("new"), "2");
}

TEST(BaggagePropagator, MissingOrUnusableHeaderLeavesContextAsItWas) {
  Context context;
  context.baggage = Baggage().Set("old", "1");
  const BaggagePropagator propagator;
  EXPECT_EQ(propagator.Extract(HeaderMap{}, context).baggage, context.baggage);
  EXPECT_EQ(propagator.Extract(HeaderMap{{"baggage", "bad key=1,=x"}}, context).baggage,
            context.baggage);
  EXPECT_EQ(propagator.Extract(HeaderMap{{"bag-gage", "k=1"}}, context).baggage, context.baggage);
}

TEST(BaggagePropagator, InjectRoundTrips) {
  Context context;
  context.baggage = Baggage()
                        .Set("userId", "Am\xC3\xA9lie")
                        .Set("note", "a, b; 100%", "p1;p2=x")
                        .Set("empty", "");
  HeaderMap carrier;
  carrier.Set("BAGGAGE", "stale=1");
  const BaggagePropagator propagator;
  propagator.Inject(context, carrier);
  ASSERT_EQ(carrier.items().size(), 1u);  // replaced, not added
  EXPECT_EQ(carrier.items()[0].first, "baggage");
  EXPECT_EQ(carrier.items()[0].second,
            "userId=Am%C3%A9lie,note=a%2C%20b%3B%20100%25;p1;p2=x,empty=");
  EXPECT_EQ(propagator.Extract(carrier, Context{}).baggage, context.baggage);
}

TEST(BaggagePropagator, InjectWritesNothingForEmptyBaggage) {
  HeaderMap carrier;
  BaggagePropagator().Inject(Context{}, carrier);
  EXPECT_TRUE(carrier.items().empty());

  Context context;  // only a member too large to send
  context.baggage = Baggage().Set("big", std::string(9000, 'v'));
  BaggagePropagator().Inject(context, carrier);
  EXPECT_TRUE(carrier.items().empty());
}

TEST(BaggagePropagator, Fields) {
  EXPECT_EQ(BaggagePropagator().Fields(), std::vector<std::string>{"baggage"});
}

}  // namespace
}  // namespace hotorder::telemetry
