#include "bench/report/figures.hpp"

#include <gtest/gtest.h>

namespace hotorder::bench_report {
namespace {

TEST(BenchReport, RatioAndDeltaOfFigures) {
  EXPECT_DOUBLE_EQ(*Ratio(2519, 1724), 2519.0 / 1724.0);
  EXPECT_DOUBLE_EQ(*Delta(2557, 2519), 38);
  EXPECT_DOUBLE_EQ(*Delta(10, 25), -15);
}

TEST(BenchReport, AMissingFigureOrAZeroDenominatorGivesNoFigure) {
  EXPECT_FALSE(Ratio(std::nullopt, 3));
  EXPECT_FALSE(Ratio(3, std::nullopt));
  EXPECT_FALSE(Ratio(3, 0));
  EXPECT_FALSE(Delta(std::nullopt, 3));
  EXPECT_FALSE(BestOf({std::nullopt, std::nullopt}));
  EXPECT_FALSE(BestOf({}));
  EXPECT_DOUBLE_EQ(*BestOf({109299.5, std::nullopt, 115887}), 115887);
}

TEST(BenchReport, VerdictsAgainstTheTargets) {
  EXPECT_EQ(Verdict(1.46, Bound::kAtMost, 1.3), "MISS");
  EXPECT_EQ(Verdict(1.24, Bound::kAtMost, 2), "PASS");
  EXPECT_EQ(Verdict(1.3, Bound::kAtMost, 1.3), "PASS");  // the limit itself is kept
  EXPECT_EQ(Verdict(0.768, Bound::kAtLeast, 0.95), "MISS");
  EXPECT_EQ(Verdict(0, Bound::kAtMost, 0), "PASS");
  EXPECT_EQ(Verdict(std::nullopt, Bound::kAtLeast, 0.8), "n/a");
}

TEST(BenchReport, SummarizesRoundsAsMedianAndSpread) {
  Spread odd = Summarize({3.0, 1.0, 2.0});
  EXPECT_DOUBLE_EQ(*odd.median, 2);
  EXPECT_DOUBLE_EQ(*odd.min, 1);
  EXPECT_DOUBLE_EQ(*odd.max, 3);
  EXPECT_EQ(odd.rounds.size(), 3u);
  EXPECT_DOUBLE_EQ(*odd.rounds[0], 3);  // kept in round order

  // An even count: the mean of the middle two; a round without a value is left out of it.
  Spread even = Summarize({10.0, std::nullopt, 40.0, 20.0, 30.0});
  EXPECT_DOUBLE_EQ(*even.median, 25);
  EXPECT_DOUBLE_EQ(*even.min, 10);
  EXPECT_FALSE(even.rounds[1]);

  EXPECT_FALSE(Summarize({}).median);
  EXPECT_FALSE(Summarize({std::nullopt}).median);
}

TEST(BenchReport, ASpreadSurvivesItsJson) {
  Json json = SpreadToJson(Summarize({1.5, std::nullopt, 4.0}));
  EXPECT_EQ(json["median"], 2.75);
  EXPECT_EQ(json["max"], 4);
  EXPECT_TRUE(json["rounds"][1].is_null());
  Spread back = SpreadFromJson(json);
  EXPECT_DOUBLE_EQ(*back.median, 2.75);
  ASSERT_EQ(back.rounds.size(), 3u);
  EXPECT_FALSE(back.rounds[1]);
  EXPECT_FALSE(SpreadFromJson(Json(3)).median);
}

}  // namespace
}  // namespace hotorder::bench_report
