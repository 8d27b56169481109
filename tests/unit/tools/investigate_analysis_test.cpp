#include "tools/investigate/analysis.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "trace_builder.hpp"

namespace hotorder::investigate {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using namespace testing;

std::vector<std::pair<std::string, std::int64_t>> PathOf(const Trace& trace) {
  std::vector<std::pair<std::string, std::int64_t>> path;
  for (const CriticalStep& step : CriticalPath(trace)) {
    path.emplace_back(trace.spans[step.span].operation, step.self_us);
  }
  return path;
}

TEST(InvestigateSelfTime, SubtractsTheUnionOfOverlappingChildren) {
  const Trace trace = ParseOrFail(TraceJson({
      {"0000000000000001", "", "s", "root", 0, 100},
      {"0000000000000002", "0000000000000001", "s", "a", 10, 30},  // 10..40
      {"0000000000000003", "0000000000000001", "s", "b", 30, 30},  // 30..60, overlaps a
      {"0000000000000004", "0000000000000001", "s", "c", 80, 10},  // 80..90
  }));
  EXPECT_EQ(SelfTime(trace, 0), 100 - 50 - 10);
  EXPECT_EQ(SelfTime(trace, 1), 30);
}

TEST(InvestigateSelfTime, ParallelChildrenAreNotSubtractedTwice) {
  const Trace trace = ParseOrFail(TraceJson({
      {"0000000000000001", "", "s", "root", 0, 100},
      {"0000000000000002", "0000000000000001", "s", "a", 10, 80},  // 10..90
      {"0000000000000003", "0000000000000001", "s", "b", 20, 40},  // inside a
  }));
  EXPECT_EQ(SelfTime(trace, 0), 20);
}

TEST(InvestigateSelfTime, ChildrenOutsideTheSpanAreClipped) {
  const Trace trace = ParseOrFail(TraceJson({
      {"0000000000000001", "", "s", "root", 100, 100},                 // 100..200
      {"0000000000000002", "0000000000000001", "s", "early", 50, 100},  // 50..150
      {"0000000000000003", "0000000000000001", "s", "late", 190, 50},   // 190..240
  }));
  EXPECT_EQ(SelfTime(trace, 0), 100 - 50 - 10);
}

TEST(InvestigateCriticalPath, OnlyTheLastFinishingParallelChildIsOnThePath) {
  const Trace trace = ParseOrFail(TraceJson({
      {"0000000000000001", "", "s", "root", 0, 100},
      {"0000000000000002", "0000000000000001", "s", "long", 10, 80},   // 10..90
      {"0000000000000003", "0000000000000001", "s", "short", 20, 40},  // 20..60, in parallel
  }));
  EXPECT_THAT(PathOf(trace), ElementsAre(Pair("root", 20), Pair("long", 80)));
}

TEST(InvestigateCriticalPath, ALaterFinishingShorterChildWinsAndHidesTheOverlap) {
  const Trace trace = ParseOrFail(TraceJson({
      {"0000000000000001", "", "s", "root", 0, 100},
      {"0000000000000002", "0000000000000001", "s", "first", 10, 40},   // 10..50
      {"0000000000000003", "0000000000000001", "s", "second", 20, 70},  // 20..90
  }));
  // "second" finishes last; "first" ends after second's start, so it held nothing up.
  EXPECT_THAT(PathOf(trace), ElementsAre(Pair("root", 30), Pair("second", 70)));
}

TEST(InvestigateCriticalPath, SequentialChildrenAreAllOnThePath) {
  const Trace trace = ParseOrFail(TraceJson({
      {"0000000000000001", "", "s", "root", 0, 100},
      {"0000000000000002", "0000000000000001", "s", "one", 10, 20},  // 10..30
      {"0000000000000003", "0000000000000001", "s", "two", 40, 50},  // 40..90
      {"0000000000000004", "0000000000000003", "s", "two.a", 45, 30},  // 45..75
  }));
  EXPECT_THAT(PathOf(trace), ElementsAre(Pair("root", 30), Pair("one", 20), Pair("two", 20),
                                         Pair("two.a", 30)));
}

TEST(InvestigateCriticalPath, SelfTimesAddUpToTheRootDuration) {
  const Trace trace = ParseOrFail(TraceJson(HotOrderSpecs()));
  std::int64_t total = 0;
  for (const CriticalStep& step : CriticalPath(trace)) total += step.self_us;
  EXPECT_EQ(total, 380'000);
}

TEST(InvestigateCriticalPath, HotOrderTraceGoesThroughTheDatabaseCall) {
  const Trace trace = ParseOrFail(TraceJson(HotOrderSpecs()));
  EXPECT_THAT(PathOf(trace),
              ElementsAre(Pair("POST /api/orders", 3'000), Pair("POST /orders", 3'000),
                          Pair("POST /orders", 5'000), Pair("validate-order", 1'000),
                          Pair("POST /reserve", 2'000), Pair("POST /reserve", 8'000),
                          Pair("db.reserve-stock", 350'000), Pair("INSERT orders", 8'000)));
}

TEST(InvestigateCulprit, IsTheSlowLeafInAHotOrderTrace) {
  const Trace trace = ParseOrFail(TraceJson(HotOrderSpecs()));
  const auto culprit = FindCulprit(trace, CriticalPath(trace));
  ASSERT_TRUE(culprit.has_value());
  EXPECT_EQ(trace.spans[culprit->span].operation, "db.reserve-stock");
  EXPECT_EQ(trace.spans[culprit->span].service, "inventory-service");
  EXPECT_EQ(culprit->self_us, 350'000);
  EXPECT_NEAR(culprit->share, 350.0 / 380.0, 1e-9);
  EXPECT_GE(culprit->share, 0.9);
}

TEST(InvestigateCulprit, ASlowSpanOffThePathIsNotTheCulprit) {
  const Trace trace = ParseOrFail(TraceJson({
      {"0000000000000001", "", "s", "root", 0, 100},
      {"0000000000000002", "0000000000000001", "s", "critical", 10, 85},      // 10..95
      {"0000000000000003", "0000000000000001", "s", "parallel-slow", 5, 88},  // 5..93
  }));
  const auto culprit = FindCulprit(trace, CriticalPath(trace));
  ASSERT_TRUE(culprit.has_value());
  EXPECT_EQ(trace.spans[culprit->span].operation, "critical");
}

TEST(InvestigateCulprit, EmptyTraceHasNone) {
  Trace trace;
  BuildTree(trace);
  EXPECT_TRUE(CriticalPath(trace).empty());
  EXPECT_FALSE(FindCulprit(trace, {}).has_value());
}

}  // namespace
}  // namespace hotorder::investigate
