#include "tools/investigate/duration.hpp"

#include <gtest/gtest.h>

namespace hotorder::investigate {
namespace {

TEST(InvestigateParseDuration, ReadsEveryUnit) {
  EXPECT_EQ(ParseDuration("250us"), Micros(250));
  EXPECT_EQ(ParseDuration("250µs"), Micros(250));
  EXPECT_EQ(ParseDuration("300ms"), Micros(300'000));
  EXPECT_EQ(ParseDuration("1.5s"), Micros(1'500'000));
  EXPECT_EQ(ParseDuration("2m"), Micros(120'000'000));
  EXPECT_EQ(ParseDuration("1h"), Micros(3'600'000'000));
  EXPECT_EQ(ParseDuration("0s"), Micros(0));
  EXPECT_EQ(ParseDuration("0.25ms"), Micros(250));
}

TEST(InvestigateParseDuration, RejectsWhatIsNotADuration) {
  for (const char* bad : {"", "300", "ms", "-1s", "1.5", "1 s", "1sec", "1s2", "1..5s", "abc",
                          "99999999999h", "1e3ms"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
  }
}

TEST(InvestigateFormatDuration, PicksAReadableUnit) {
  EXPECT_EQ(FormatDuration(0), "0us");
  EXPECT_EQ(FormatDuration(850), "850us");
  EXPECT_EQ(FormatDuration(1'000), "1.00ms");
  EXPECT_EQ(FormatDuration(350'210), "350.21ms");
  EXPECT_EQ(FormatDuration(1'500'000), "1.50s");
  EXPECT_EQ(FormatDuration(123'000'000), "2m03.0s");
  EXPECT_EQ(FormatDuration(-2'000), "-2.00ms");
}

TEST(InvestigateGoDuration, IsExactMicroseconds) {
  EXPECT_EQ(GoDuration(Micros(300'000)), "300000us");
}

TEST(InvestigateFormatPercent, HasOneDecimal) {
  EXPECT_EQ(FormatPercent(0.9210526), "92.1%");
  EXPECT_EQ(FormatPercent(0), "0.0%");
  EXPECT_EQ(FormatPercent(1), "100.0%");
}

}  // namespace
}  // namespace hotorder::investigate
