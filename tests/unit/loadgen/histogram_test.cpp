#include "loadgen/histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace hotorder::loadgen {
namespace {

// The largest relative error a percentile may carry (one bucket: < 1/1024 of the value).
constexpr double kRelativeError = 0.001;

void ExpectNear(std::int64_t actual, std::int64_t expected) {
  EXPECT_GE(actual, expected);
  EXPECT_LE(static_cast<double>(actual), static_cast<double>(expected) * (1 + kRelativeError))
      << "expected about " << expected;
}

TEST(LatencyHistogram, EmptyReportsZeros) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.Count(), 0u);
  EXPECT_EQ(histogram.Min(), 0);
  EXPECT_EQ(histogram.Max(), 0);
  EXPECT_EQ(histogram.Mean(), 0.0);
  EXPECT_EQ(histogram.ValueAtPercentile(50), 0);
  EXPECT_EQ(histogram.ValueAtPercentile(100), 0);
}

TEST(LatencyHistogram, SingleValueIsEveryPercentile) {
  LatencyHistogram histogram;
  histogram.Record(123'456);
  EXPECT_EQ(histogram.Count(), 1u);
  EXPECT_EQ(histogram.Min(), 123'456);
  EXPECT_EQ(histogram.Max(), 123'456);
  EXPECT_DOUBLE_EQ(histogram.Mean(), 123'456.0);
  // Never above Max(), so a lone value comes back exactly.
  for (double p : {0.0, 1.0, 50.0, 99.9, 100.0}) EXPECT_EQ(histogram.ValueAtPercentile(p), 123'456);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (std::int64_t v = 0; v < 1024; ++v) histogram.Record(v);
  // Rank k of 1024 values 0..1023 is value k-1.
  EXPECT_EQ(histogram.ValueAtPercentile(50), 511);
  EXPECT_EQ(histogram.ValueAtPercentile(25), 255);
  EXPECT_EQ(histogram.ValueAtPercentile(0), 0);
  EXPECT_EQ(histogram.ValueAtPercentile(100), 1023);
  LatencyHistogram one;
  for (std::int64_t v : {1, 2, 3, 1000, 1023}) {
    one.Reset();
    one.Record(v);
    one.Record(0);
    EXPECT_EQ(one.ValueAtPercentile(100), v);
    EXPECT_EQ(one.ValueAtPercentile(50), 0);
  }
}

TEST(LatencyHistogram, UniformPercentilesWithinATenthOfAPercent) {
  LatencyHistogram histogram;
  constexpr std::int64_t kN = 1'000'000;
  for (std::int64_t v = 1; v <= kN; ++v) histogram.Record(v);
  EXPECT_EQ(histogram.Count(), static_cast<std::uint64_t>(kN));
  EXPECT_EQ(histogram.Min(), 1);
  EXPECT_EQ(histogram.Max(), kN);
  EXPECT_NEAR(histogram.Mean(), (kN + 1) / 2.0, 1e-6);
  ExpectNear(histogram.ValueAtPercentile(50), 500'000);
  ExpectNear(histogram.ValueAtPercentile(90), 900'000);
  ExpectNear(histogram.ValueAtPercentile(99), 990'000);
  ExpectNear(histogram.ValueAtPercentile(99.9), 999'000);
  EXPECT_EQ(histogram.ValueAtPercentile(100), kN);
  ExpectNear(histogram.ValueAtPercentile(0.1), 1'000);
}

TEST(LatencyHistogram, EveryValueRoundTripsWithinBound) {
  // Each value alone: p100 is Max (exact); p0 (the bucket's upper edge, capped by Max) too. With
  // a second larger value the lower one's bucket edge shows: it must stay within 0.1%.
  for (std::int64_t v = 1; v < LatencyHistogram::kMaxValueUs; v = v * 3 / 2 + 1) {
    LatencyHistogram histogram;
    histogram.Record(v);
    histogram.Record(LatencyHistogram::kMaxValueUs);
    ExpectNear(histogram.ValueAtPercentile(50), v);
  }
}

TEST(LatencyHistogram, BimodalTailIsSeen) {
  LatencyHistogram histogram;
  for (int i = 0; i < 99'000; ++i) histogram.Record(800 + i % 100);  // 800..899 µs
  for (int i = 0; i < 1'000; ++i) histogram.Record(1'000'000);       // 1 s
  EXPECT_LE(histogram.ValueAtPercentile(50), 899);
  EXPECT_GE(histogram.ValueAtPercentile(50), 800);
  EXPECT_LE(histogram.ValueAtPercentile(99), 899);
  ExpectNear(histogram.ValueAtPercentile(99.9), 1'000'000);
  EXPECT_EQ(histogram.Max(), 1'000'000);
}

TEST(LatencyHistogram, ClampsNegativeAndHugeValues) {
  LatencyHistogram histogram;
  histogram.Record(-5);
  histogram.Record(LatencyHistogram::kMaxValueUs * 10);
  histogram.Record(INT64_MAX);
  EXPECT_EQ(histogram.Count(), 3u);
  EXPECT_EQ(histogram.Min(), 0);
  EXPECT_EQ(histogram.Max(), LatencyHistogram::kMaxValueUs);
  EXPECT_EQ(histogram.ValueAtPercentile(0), 0);
  EXPECT_EQ(histogram.ValueAtPercentile(100), LatencyHistogram::kMaxValueUs);
}

TEST(LatencyHistogram, MergeEqualsRecordingEverything) {
  LatencyHistogram a;
  LatencyHistogram b;
  LatencyHistogram all;
  for (std::int64_t v = 1; v <= 10'000; ++v) {
    (v % 3 == 0 ? a : b).Record(v * 37);
    all.Record(v * 37);
  }
  a.Merge(b);
  EXPECT_EQ(a.Count(), all.Count());
  EXPECT_EQ(a.Min(), all.Min());
  EXPECT_EQ(a.Max(), all.Max());
  EXPECT_DOUBLE_EQ(a.Mean(), all.Mean());
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9}) {
    EXPECT_EQ(a.ValueAtPercentile(p), all.ValueAtPercentile(p));
  }
}

TEST(LatencyHistogram, MergeWithEmptyKeepsMinAndMax) {
  LatencyHistogram empty;
  LatencyHistogram some;
  some.Record(50);
  some.Record(70);
  empty.Merge(some);
  EXPECT_EQ(empty.Min(), 50);
  EXPECT_EQ(empty.Max(), 70);
  some.Merge(LatencyHistogram());
  EXPECT_EQ(some.Min(), 50);
  EXPECT_EQ(some.Count(), 2u);
}

TEST(LatencyHistogram, ResetEmptiesIt) {
  LatencyHistogram histogram;
  histogram.Record(10);
  histogram.Record(5'000'000);
  histogram.Reset();
  EXPECT_EQ(histogram.Count(), 0u);
  EXPECT_EQ(histogram.Max(), 0);
  histogram.Record(7);
  EXPECT_EQ(histogram.Min(), 7);
  EXPECT_EQ(histogram.ValueAtPercentile(100), 7);
}

}  // namespace
}  // namespace hotorder::loadgen
