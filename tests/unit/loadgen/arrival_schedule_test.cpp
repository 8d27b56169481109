#include "loadgen/arrival_schedule.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace hotorder::loadgen {
namespace {

using namespace std::chrono_literals;

// A made-up clock reading: the schedule never reads a clock itself.
const TimePoint kStart = TimePoint{} + 1000s;

TEST(ArrivalSchedule, IntendedTimeIsStartPlusIndexOverRate) {
  ArrivalSchedule schedule(kStart, 200);
  EXPECT_EQ(schedule.IntendedTime(0), kStart);
  EXPECT_EQ(schedule.IntendedTime(1), kStart + 5ms);
  EXPECT_EQ(schedule.IntendedTime(200), kStart + 1s);
  EXPECT_EQ(schedule.IntendedTime(3001), kStart + 15005ms);
}

TEST(ArrivalSchedule, RoundsFractionalIntervalsToTheNearestNanosecond) {
  ArrivalSchedule thirds(kStart, 3);
  EXPECT_EQ(thirds.IntendedTime(1), kStart + 333'333'333ns);
  EXPECT_EQ(thirds.IntendedTime(2), kStart + 666'666'667ns);
  EXPECT_EQ(thirds.IntendedTime(3), kStart + 1s);

  ArrivalSchedule slow(kStart, 0.5);
  EXPECT_EQ(slow.IntendedTime(1), kStart + 2s);
}

TEST(ArrivalSchedule, DoesNotDriftOverALongRun) {
  ArrivalSchedule schedule(kStart, 3);
  // A billion seconds' worth of requests later, still exact: times come from the index.
  EXPECT_EQ(schedule.IntendedTime(3'000'000'000ULL), kStart + 1'000'000'000s);
  ArrivalSchedule fast(kStart, 20000);
  EXPECT_EQ(fast.IntendedTime(20000ULL * 86400), kStart + 86400s);
}

TEST(ArrivalSchedule, DueCountIncludesTheRequestIntendedAtNow) {
  ArrivalSchedule schedule(kStart, 200);
  EXPECT_EQ(schedule.DueCount(kStart - 1ns), 0u);
  EXPECT_EQ(schedule.DueCount(kStart), 1u);
  EXPECT_EQ(schedule.DueCount(kStart + 5ms - 1ns), 1u);
  EXPECT_EQ(schedule.DueCount(kStart + 5ms), 2u);
  EXPECT_EQ(schedule.DueCount(kStart + 1s), 201u);
  EXPECT_EQ(schedule.DueCount(kStart + 1s + 4ms), 201u);
}

TEST(ArrivalSchedule, CountBeforeExcludesTheInstantItself) {
  ArrivalSchedule schedule(kStart, 200);
  EXPECT_EQ(schedule.CountBefore(kStart), 0u);
  EXPECT_EQ(schedule.CountBefore(kStart + 1ns), 1u);
  // A one-second warm-up holds exactly the first 200 requests.
  EXPECT_EQ(schedule.CountBefore(kStart + 1s), 200u);

  ArrivalSchedule thirds(kStart, 3);
  EXPECT_EQ(thirds.CountBefore(kStart + 1s), 3u);
  EXPECT_EQ(thirds.CountBefore(kStart + 1s + 1ns), 4u);
  EXPECT_EQ(thirds.CountBefore(kStart + 666'666'667ns), 2u);
  EXPECT_EQ(thirds.CountBefore(kStart + 666'666'668ns), 3u);
}

TEST(ArrivalSchedule, BacklogIsTheFifoOfDueButUnsentRequests) {
  ArrivalSchedule schedule(kStart, 100);
  const TimePoint now = kStart + 45ms;  // requests 0..4 are due
  EXPECT_EQ(schedule.Backlog(now), 5u);
  ASSERT_TRUE(schedule.HasDue(now));
  EXPECT_EQ(schedule.Pop(), 0u);
  EXPECT_EQ(schedule.Pop(), 1u);
  EXPECT_EQ(schedule.Backlog(now), 3u);
  // The oldest queued request goes next, its intended time long past.
  EXPECT_EQ(schedule.NextIntendedTime(), kStart + 20ms);
  EXPECT_EQ(schedule.Pop(), 2u);
  EXPECT_EQ(schedule.Pop(), 3u);
  EXPECT_EQ(schedule.Pop(), 4u);
  EXPECT_FALSE(schedule.HasDue(now));
  EXPECT_EQ(schedule.Backlog(now), 0u);
  EXPECT_EQ(schedule.NextIntendedTime(), kStart + 50ms);
  EXPECT_TRUE(schedule.HasDue(kStart + 50ms));
  EXPECT_EQ(schedule.issued(), 5u);
}

TEST(ArrivalSchedule, LimitCapsWhatIsDue) {
  ArrivalSchedule schedule(kStart, 1000, 3);
  EXPECT_EQ(schedule.DueCount(kStart + 1s), 3u);
  EXPECT_FALSE(schedule.Exhausted());
  schedule.Pop();
  schedule.Pop();
  schedule.Pop();
  EXPECT_TRUE(schedule.Exhausted());
  EXPECT_FALSE(schedule.HasDue(kStart + 1h));
  EXPECT_EQ(schedule.Backlog(kStart + 1h), 0u);

  schedule.SetLimit(5);
  EXPECT_EQ(schedule.Backlog(kStart + 1h), 2u);
}

TEST(ArrivalSchedule, LagAndLatencyCountFromTheIntendedTime) {
  ArrivalSchedule schedule(kStart, 10);
  const TimePoint intended = schedule.IntendedTime(7);  // start + 700 ms
  // Queued behind a stalled server for 300 ms, then answered in 10 ms.
  const TimePoint sent = intended + 300ms;
  const TimePoint completed = sent + 10ms;
  EXPECT_EQ(MicrosBetween(intended, sent), 300'000);       // schedule lag
  EXPECT_EQ(MicrosBetween(intended, completed), 310'000);  // latency, queueing included
  EXPECT_EQ(MicrosBetween(completed, intended), -310'000);
  EXPECT_EQ(MicrosBetween(intended, intended + 1999ns), 1);  // truncated to whole µs
}

}  // namespace
}  // namespace hotorder::loadgen
