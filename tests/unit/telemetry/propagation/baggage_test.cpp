// The Baggage value type: immutable Get/Set/Delete.

#include <gtest/gtest.h>

#include "telemetry/baggage.hpp"

namespace hotorder::telemetry {
namespace {

TEST(Baggage, SetAddsAndGetFinds) {
  const Baggage empty;
  const Baggage one = empty.Set("userId", "alice", "p=1");
  EXPECT_TRUE(empty.empty());
  EXPECT_FALSE(one.empty());
  EXPECT_EQ(one.Get("userId"), "alice");
  EXPECT_FALSE(one.Get("userid").has_value());  // keys are case-sensitive
  ASSERT_EQ(one.entries().size(), 1u);
  EXPECT_EQ(one.entries()[0].metadata, "p=1");
}

TEST(Baggage, SetReplacesInPlaceKeepingOrder) {
  const Baggage baggage = Baggage().Set("a", "1").Set("b", "2").Set("c", "3");
  const Baggage replaced = baggage.Set("b", "two", "meta");
  ASSERT_EQ(replaced.entries().size(), 3u);
  EXPECT_EQ(replaced.entries()[1], (BaggageEntry{"b", "two", "meta"}));
  EXPECT_EQ(replaced.entries()[0].key, "a");
  EXPECT_EQ(replaced.entries()[2].key, "c");
  EXPECT_EQ(baggage.Get("b"), "2");  // the original is unchanged
}

TEST(Baggage, SetWithInvalidKeyLeavesBaggageUnchanged) {
  const Baggage baggage = Baggage().Set("a", "1");
  for (const char* key : {"", "has space", "comma,", "semi;", "eq=", "quote\"", "caf\xc3\xa9",
                          "(paren)", "slash/"}) {
    EXPECT_EQ(baggage.Set(key, "v"), baggage) << key;
  }
  // Every RFC 7230 tchar is accepted.
  EXPECT_EQ(baggage.Set("!#$%&'*+-.^_`|~09azAZ", "v").Get("!#$%&'*+-.^_`|~09azAZ"), "v");
}

TEST(Baggage, ValuesMayHoldAnyBytes) {
  const Baggage baggage = Baggage().Set("k", "a, b; c=%\"\xe2\x98\x83");
  EXPECT_EQ(baggage.Get("k"), "a, b; c=%\"\xe2\x98\x83");
}

TEST(Baggage, DeleteRemovesOnlyThatKey) {
  const Baggage baggage = Baggage().Set("a", "1").Set("b", "2");
  const Baggage deleted = baggage.Delete("a");
  EXPECT_FALSE(deleted.Get("a").has_value());
  EXPECT_EQ(deleted.Get("b"), "2");
  EXPECT_EQ(baggage.Delete("missing"), baggage);
  EXPECT_EQ(baggage.Get("a"), "1");
}

}  // namespace
}  // namespace hotorder::telemetry
