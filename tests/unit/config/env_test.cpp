#include "config/env.hpp"

#include <gtest/gtest.h>

namespace hotorder::config {
namespace {

TEST(EnvReader, UnsetAndEmptyMeanDefault) {
  EnvReader env(FixedEnv({{"EMPTY", "  "}}));
  EXPECT_FALSE(env.String("UNSET").has_value());
  EXPECT_FALSE(env.String("EMPTY").has_value());
  EXPECT_EQ(env.Int("EMPTY", 7, 0, 10), 7);
  EXPECT_TRUE(env.Warnings().empty());
}

TEST(EnvReader, TrimsWhitespace) {
  EnvReader env(FixedEnv({{"NAME", "  value\t"}}));
  EXPECT_EQ(env.String("NAME", "x"), "value");
}

TEST(EnvReader, BoolIsCaseInsensitiveAndWarnsOnGarbage) {
  EnvReader env(FixedEnv({{"A", "TRUE"}, {"B", "False"}, {"C", "yes"}}));
  EXPECT_TRUE(env.Bool("A", false));
  EXPECT_FALSE(env.Bool("B", true));
  EXPECT_TRUE(env.Bool("C", true));
  ASSERT_EQ(env.Warnings().size(), 1u);
  EXPECT_NE(env.Warnings()[0].find("C=\"yes\""), std::string::npos);
}

TEST(EnvReader, IntRejectsOutOfRangeAndTrailingGarbage) {
  EnvReader env(FixedEnv({{"OK", "42"}, {"BIG", "100"}, {"JUNK", "12ms"}, {"NEG", "-1"}}));
  EXPECT_EQ(env.Int("OK", 0, 0, 50), 42);
  EXPECT_EQ(env.Int("BIG", 5, 0, 50), 5);
  EXPECT_EQ(env.Int("JUNK", 5, 0, 50), 5);
  EXPECT_EQ(env.Int("NEG", 5, 0, 50), 5);
  EXPECT_EQ(env.Warnings().size(), 3u);
}

TEST(EnvReader, DoubleWithinRange) {
  EnvReader env(FixedEnv({{"R", "0.25"}, {"BAD", "1.5"}, {"NAN", "nan"}}));
  EXPECT_DOUBLE_EQ(env.Double("R", 1.0, 0.0, 1.0), 0.25);
  EXPECT_DOUBLE_EQ(env.Double("BAD", 1.0, 0.0, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(env.Double("NAN", 1.0, 0.0, 1.0), 1.0);
  EXPECT_EQ(env.Warnings().size(), 2u);
}

TEST(EnvReader, MillisAreNonNegative) {
  EnvReader env(FixedEnv({{"T", "250"}, {"NEG", "-5"}}));
  EXPECT_EQ(env.Millis("T", std::chrono::milliseconds(1)), std::chrono::milliseconds(250));
  EXPECT_EQ(env.Millis("NEG", std::chrono::milliseconds(9)), std::chrono::milliseconds(9));
}

}  // namespace
}  // namespace hotorder::config
