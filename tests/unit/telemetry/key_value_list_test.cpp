#include "telemetry/key_value_list.hpp"

#include <gtest/gtest.h>

namespace hotorder::telemetry {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(KeyValueList, ParsesTrimsAndDecodes) {
  auto list = ParseKeyValueList(" a = 1 ,b=hello%20world,, c=%2C%3D ");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(*list, (Pairs{{"a", "1"}, {"b", "hello world"}, {"c", ",="}}));
}

TEST(KeyValueList, EmptyValueIsAllowed) {
  auto list = ParseKeyValueList("a=");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(*list, (Pairs{{"a", ""}}));
}

TEST(KeyValueList, AnyMalformedMemberDiscardsAll) {
  EXPECT_FALSE(ParseKeyValueList("a=1,novalue").has_value());
  EXPECT_FALSE(ParseKeyValueList("=1").has_value());
  EXPECT_FALSE(ParseKeyValueList("a=%2").has_value());
  EXPECT_FALSE(ParseKeyValueList("a=%zz").has_value());
}

TEST(PercentDecode, DecodesBothCases) {
  EXPECT_EQ(PercentDecode("%c3%A9"), std::optional<std::string>("\xc3\xa9"));
  EXPECT_FALSE(PercentDecode("%").has_value());
}

}  // namespace
}  // namespace hotorder::telemetry
