#include "telemetry/attributes.hpp"

#include <gtest/gtest.h>

namespace hotorder::telemetry {
namespace {

TEST(AttributeValue, ConstructorsPickTheMeantType) {
  EXPECT_TRUE(std::holds_alternative<std::string>(AttributeValue("literal").variant()));
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(AttributeValue(7).variant()));
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(AttributeValue(std::size_t{7}).variant()));
  EXPECT_TRUE(std::holds_alternative<double>(AttributeValue(1.5f).variant()));
  EXPECT_TRUE(std::holds_alternative<bool>(AttributeValue(true).variant()));
  EXPECT_TRUE(std::holds_alternative<std::vector<std::string>>(
      AttributeValue(std::vector<std::string>{"a"}).variant()));
}

TEST(SetAttribute, ReplacesExistingKey) {
  Attributes list;
  std::uint32_t dropped = 0;
  SetAttribute(list, "k", 1, {}, dropped);
  SetAttribute(list, "k", "two", {}, dropped);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(std::get<std::string>(list[0].value), "two");
  EXPECT_EQ(dropped, 0u);
}

TEST(SetAttribute, DropsAndCountsBeyondCountLimit) {
  Attributes list;
  std::uint32_t dropped = 0;
  AttributeLimits limits{.count = 2};
  for (int i = 0; i < 5; ++i) SetAttribute(list, "k" + std::to_string(i), i, limits, dropped);
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(dropped, 3u);
  // Updating a present key still works at the limit.
  SetAttribute(list, "k0", 99, limits, dropped);
  EXPECT_EQ(std::get<std::int64_t>(list[0].value), 99);
  EXPECT_EQ(dropped, 3u);
}

TEST(SetAttribute, TruncatesStringsOnUtf8Boundary) {
  Attributes list;
  std::uint32_t dropped = 0;
  AttributeLimits limits{.count = 10, .value_length = 4};
  SetAttribute(list, "ascii", "abcdef", limits, dropped);
  SetAttribute(list, "utf8", "ab\xc3\xa9\xc3\xa9", limits, dropped);  // "abéé"
  SetAttribute(list, "cut", "abc\xc3\xa9", limits, dropped);           // é straddles the limit
  SetAttribute(list, "array", std::vector<std::string>{"123456", "12"}, limits, dropped);
  SetAttribute(list, "number", 123456789, limits, dropped);
  EXPECT_EQ(std::get<std::string>(list[0].value), "abcd");
  EXPECT_EQ(std::get<std::string>(list[1].value), "ab\xc3\xa9");
  EXPECT_EQ(std::get<std::string>(list[2].value), "abc");
  EXPECT_EQ(std::get<std::vector<std::string>>(list[3].value),
            (std::vector<std::string>{"1234", "12"}));
  EXPECT_EQ(std::get<std::int64_t>(list[4].value), 123456789);
}

}  // namespace
}  // namespace hotorder::telemetry
