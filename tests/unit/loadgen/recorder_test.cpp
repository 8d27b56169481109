#include "loadgen/recorder.hpp"

#include <gtest/gtest.h>

namespace hotorder::loadgen {
namespace {

RequestResult Response(Scenario scenario, int status, std::int64_t latency_us,
                       std::string trace_id = "") {
  return {.scenario = scenario,
          .outcome = Outcome::kResponse,
          .status = status,
          .latency_us = latency_us,
          .schedule_lag_us = 0,
          .trace_id = std::move(trace_id)};
}

RequestResult Failure(Scenario scenario, Outcome outcome, std::int64_t latency_us) {
  return {.scenario = scenario, .outcome = outcome, .status = 0, .latency_us = latency_us,
          .schedule_lag_us = 0, .trace_id = ""};
}

const ScenarioCounts& Of(const RunTotals& totals, Scenario scenario) {
  return totals.by_scenario[static_cast<std::size_t>(scenario)];
}

TEST(Recorder, CountsAddUp) {
  Recorder recorder(5, false);
  recorder.Record(Response(Scenario::kOk, 201, 1000));
  recorder.Record(Response(Scenario::kOk, 201, 2000));
  recorder.Record(Response(Scenario::kOk, 409, 3000));   // unexpected for ok
  recorder.Record(Response(Scenario::kOk, 503, 4000));   // unexpected for ok
  recorder.Record(Response(Scenario::kEmpty, 400, 500));
  recorder.Record(Response(Scenario::kOutOfStock, 409, 700));
  recorder.Record(Response(Scenario::kGet, 200, 300));
  recorder.Record(Failure(Scenario::kOk, Outcome::kConnectError, 10));
  recorder.Record(Failure(Scenario::kGet, Outcome::kReadError, 20));
  recorder.Record(Failure(Scenario::kUnknownSku, Outcome::kTimeout, 5'000'000));

  const auto& totals = recorder.Totals();
  EXPECT_EQ(totals.requests_total, 10u);
  EXPECT_EQ(totals.status_classes[2], 3u);
  EXPECT_EQ(totals.status_classes[4], 3u);
  EXPECT_EQ(totals.status_classes[5], 1u);
  EXPECT_EQ(totals.status_classes[1] + totals.status_classes[3], 0u);
  EXPECT_EQ(totals.connect_errors, 1u);
  EXPECT_EQ(totals.read_errors, 1u);
  EXPECT_EQ(totals.timeouts, 1u);
  EXPECT_EQ(totals.status_errors, 2u);
  EXPECT_EQ(totals.latency.Count(), 7u);  // responses only
  EXPECT_EQ(totals.latency.Max(), 4000);
  EXPECT_EQ(totals.schedule_lag.Count(), 10u);

  const auto& ok = Of(totals, Scenario::kOk);
  EXPECT_EQ(ok.requests, 5u);
  EXPECT_EQ(ok.expected_status, 2u);
  EXPECT_EQ(ok.transport_errors, 1u);
  EXPECT_EQ(ok.statuses, (std::map<int, std::uint64_t>{{201, 2}, {409, 1}, {503, 1}}));
  EXPECT_EQ(ok.latency.Count(), 4u);
  EXPECT_EQ(Of(totals, Scenario::kUnknownSku).requests, 1u);
  EXPECT_EQ(Of(totals, Scenario::kUnknownSku).transport_errors, 1u);
  EXPECT_EQ(Of(totals, Scenario::kUnknownSku).expected_status, 0u);
  EXPECT_EQ(Of(totals, Scenario::kOutOfStock).expected_status, 1u);
  EXPECT_EQ(Of(totals, Scenario::kGet).requests, 2u);

  std::uint64_t sum = 0;
  for (const auto& counts : totals.by_scenario) sum += counts.requests;
  EXPECT_EQ(sum, totals.requests_total);
}

TEST(Recorder, KeepsTheSlowestSlowestFirst) {
  Recorder recorder(3, false);
  const std::int64_t latencies[] = {50, 10, 70, 30, 90, 20, 60, 80, 40};
  for (auto latency : latencies) {
    recorder.Record(Response(Scenario::kOk, 201, latency, "trace-" + std::to_string(latency)));
  }
  recorder.Record(Failure(Scenario::kGet, Outcome::kTimeout, 85));  // errors are eligible too
  const auto& slowest = recorder.Totals().slowest;
  ASSERT_EQ(slowest.size(), 3u);
  EXPECT_EQ(slowest[0].latency_us, 90);
  EXPECT_EQ(slowest[0].trace_id, "trace-90");
  EXPECT_EQ(slowest[0].status, 201);
  EXPECT_EQ(slowest[1].latency_us, 85);
  EXPECT_EQ(slowest[1].status, 0);
  EXPECT_EQ(slowest[1].scenario, Scenario::kGet);
  EXPECT_TRUE(slowest[1].trace_id.empty());
  EXPECT_EQ(slowest[2].latency_us, 80);
}

TEST(Recorder, FewerResultsThanSlots) {
  Recorder recorder(10, false);
  recorder.Record(Response(Scenario::kOk, 201, 5));
  recorder.Record(Response(Scenario::kOk, 201, 7));
  ASSERT_EQ(recorder.Totals().slowest.size(), 2u);
  EXPECT_EQ(recorder.Totals().slowest[0].latency_us, 7);
}

TEST(Recorder, ZeroSlowestKeepsNone) {
  Recorder recorder(0, false);
  recorder.Record(Response(Scenario::kOk, 201, 5));
  EXPECT_TRUE(recorder.Totals().slowest.empty());
}

TEST(Recorder, IntervalsResetButTotalsDoNot) {
  Recorder recorder(1, false);
  for (int i = 1; i <= 100; ++i) recorder.Record(Response(Scenario::kOk, 201, i * 10));
  recorder.Record(Response(Scenario::kOk, 500, 5));
  recorder.Record(Failure(Scenario::kOk, Outcome::kTimeout, 9));

  auto first = recorder.TakeInterval(1.0, 0.5);
  EXPECT_DOUBLE_EQ(first.elapsed_s, 1.0);
  EXPECT_EQ(first.requests, 102u);
  EXPECT_EQ(first.errors, 2u);
  EXPECT_DOUBLE_EQ(first.rate, 204.0);
  EXPECT_EQ(first.p50_us, 500);
  EXPECT_EQ(first.p99_us, 990);
  EXPECT_EQ(first.max_us, 1000);

  auto empty = recorder.TakeInterval(2.0, 1.0);
  EXPECT_EQ(empty.requests, 0u);
  EXPECT_EQ(empty.errors, 0u);
  EXPECT_EQ(empty.rate, 0.0);
  EXPECT_EQ(empty.p50_us, 0);
  EXPECT_EQ(empty.max_us, 0);

  recorder.Record(Response(Scenario::kEmpty, 400, 42));
  auto third = recorder.TakeInterval(3.0, 1.0);
  EXPECT_EQ(third.requests, 1u);
  EXPECT_EQ(third.errors, 0u);
  EXPECT_EQ(third.max_us, 42);

  EXPECT_EQ(recorder.Totals().requests_total, 103u);
  EXPECT_EQ(recorder.Totals().latency.Count(), 102u);
}

}  // namespace
}  // namespace hotorder::loadgen
