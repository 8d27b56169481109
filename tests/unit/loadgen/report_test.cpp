#include "loadgen/report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace hotorder::loadgen {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kJaeger = "http://localhost:16686";
constexpr const char* kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

RunFacts OpenFacts() {
  return {.target = "http://127.0.0.1:8080",
          .mode = LoopMode::kOpen,
          .target_rps = 2000,
          .concurrency = 0,
          .connections = 64,
          .measured_s = 2.0,
          .warmup_s = 1.0,
          .unsent = 3,
          .interrupted = false,
          .mix = "ok=90,empty=10",
          .traced = true};
}

// 1000 ok (990 201s at 1..990 ms... scaled down to µs, 10 503s), 100 empty 400s, 2 timeouts.
RunTotals SomeTotals() {
  Recorder recorder(3, false);
  for (int i = 1; i <= 1000; ++i) {
    RequestResult result{.scenario = Scenario::kOk,
                         .outcome = Outcome::kResponse,
                         .status = i <= 990 ? 201 : 503,
                         .latency_us = i * 1000,
                         .schedule_lag_us = i,
                         .trace_id = i == 1000 ? kTraceId : ""};
    recorder.Record(result);
  }
  for (int i = 0; i < 100; ++i) {
    recorder.Record({.scenario = Scenario::kEmpty, .outcome = Outcome::kResponse, .status = 400,
                     .latency_us = 500, .schedule_lag_us = 0, .trace_id = ""});
  }
  for (int i = 0; i < 2; ++i) {
    recorder.Record({.scenario = Scenario::kGet, .outcome = Outcome::kTimeout, .status = 0,
                     .latency_us = 5'000'000, .schedule_lag_us = 0, .trace_id = ""});
  }
  return recorder.Totals();
}

TEST(FormatJsonReport, HasTheDocumentedFields) {
  auto totals = SomeTotals();
  auto json = nlohmann::json::parse(FormatJsonReport(OpenFacts(), totals, kJaeger));
  EXPECT_EQ(json["target"], "http://127.0.0.1:8080");
  EXPECT_EQ(json["mode"], "open");
  EXPECT_EQ(json["requests_total"], 1102);
  EXPECT_EQ(json["target_rps"], 2000.0);
  EXPECT_DOUBLE_EQ(json["achieved_rps"].get<double>(), 551.0);
  EXPECT_EQ(json["measured_s"], 2.0);
  EXPECT_EQ(json["unsent"], 3);
  EXPECT_EQ(json["interrupted"], false);

  const auto& latency = json["latency_us"];
  EXPECT_EQ(latency["p50"], totals.latency.ValueAtPercentile(50));
  EXPECT_EQ(latency["p90"], totals.latency.ValueAtPercentile(90));
  EXPECT_EQ(latency["p99"], totals.latency.ValueAtPercentile(99));
  EXPECT_EQ(latency["p999"], totals.latency.ValueAtPercentile(99.9));
  EXPECT_EQ(latency["max"], 1'000'000);
  EXPECT_DOUBLE_EQ(latency["mean"].get<double>(), totals.latency.Mean());
  EXPECT_EQ(json["schedule_lag_us"]["max"], 1000);
  EXPECT_EQ(json["schedule_lag_us"]["p50"], totals.schedule_lag.ValueAtPercentile(50));
  EXPECT_EQ(json["schedule_lag_us"]["p99"], totals.schedule_lag.ValueAtPercentile(99));

  EXPECT_EQ(json["status"]["1xx"], 0);
  EXPECT_EQ(json["status"]["2xx"], 990);
  EXPECT_EQ(json["status"]["3xx"], 0);
  EXPECT_EQ(json["status"]["4xx"], 100);
  EXPECT_EQ(json["status"]["5xx"], 10);
  EXPECT_EQ(json["errors"]["connect"], 0);
  EXPECT_EQ(json["errors"]["read"], 0);
  EXPECT_EQ(json["errors"]["timeout"], 2);
  EXPECT_EQ(json["errors"]["status"], 10);

  const auto& ok = json["by_scenario"]["ok"];
  EXPECT_EQ(ok["requests"], 1000);
  EXPECT_EQ(ok["expected_status"], 990);
  EXPECT_EQ(ok["expected_code"], 201);
  EXPECT_EQ(ok["statuses"]["201"], 990);
  EXPECT_EQ(ok["statuses"]["503"], 10);
  EXPECT_EQ(ok["transport_errors"], 0);
  EXPECT_EQ(ok["p50_us"], totals.by_scenario[0].latency.ValueAtPercentile(50));
  EXPECT_EQ(ok["p99_us"], totals.by_scenario[0].latency.ValueAtPercentile(99));
  EXPECT_EQ(json["by_scenario"]["get"]["transport_errors"], 2);
  EXPECT_EQ(json["by_scenario"]["get"]["p50_us"], 0);
  EXPECT_EQ(json["by_scenario"]["unknown-sku"]["requests"], 0);  // every scenario is listed
  EXPECT_EQ(json["by_scenario"].size(), kScenarioCount);

  const auto& slowest = json["slowest"];
  ASSERT_EQ(slowest.size(), 3u);
  EXPECT_EQ(slowest[0]["latency_us"], 5'000'000);
  EXPECT_EQ(slowest[0]["scenario"], "get");
  EXPECT_EQ(slowest[0]["status"], 0);
  EXPECT_TRUE(slowest[0]["trace_id"].is_null());
  EXPECT_TRUE(slowest[0]["jaeger_url"].is_null());
  EXPECT_EQ(slowest[2]["latency_us"], 1'000'000);
  EXPECT_EQ(slowest[2]["trace_id"], kTraceId);
  EXPECT_EQ(slowest[2]["jaeger_url"], std::string(kJaeger) + "/trace/" + kTraceId);
  EXPECT_EQ(slowest[2]["status"], 503);
}

TEST(FormatJsonReport, EmptyRunIsStillValid) {
  RunFacts facts;
  facts.target = "http://h:1";
  facts.concurrency = 4;
  facts.interrupted = true;
  auto json = nlohmann::json::parse(FormatJsonReport(facts, RunTotals{}, kJaeger));
  EXPECT_EQ(json["mode"], "closed");
  EXPECT_EQ(json["achieved_rps"], 0.0);
  EXPECT_EQ(json["interrupted"], true);
  EXPECT_EQ(json["latency_us"]["p99"], 0);
  EXPECT_TRUE(json["slowest"].empty());
}

TEST(FormatTextReport, HasTheKeyLines) {
  auto text = FormatTextReport(OpenFacts(), SomeTotals(), kJaeger);
  EXPECT_THAT(text, HasSubstr("http://127.0.0.1:8080"));
  EXPECT_THAT(text, HasSubstr("open loop, 2,000 req/s"));
  EXPECT_THAT(text, HasSubstr("64 connections"));
  EXPECT_THAT(text, HasSubstr("ok=90,empty=10"));
  EXPECT_THAT(text, HasSubstr("1.0s warm-up"));
  EXPECT_THAT(text, HasSubstr("1,102  (achieved 551 req/s of target 2,000; schedule lag p50"));
  EXPECT_THAT(text, HasSubstr("unsent     3"));
  EXPECT_THAT(text, HasSubstr("2xx 990  4xx 100  5xx 10"));
  EXPECT_THAT(text, HasSubstr("connect 0  read 0  timeout 2  status 10"));
  EXPECT_THAT(text, HasSubstr("latency    p50 "));
  EXPECT_THAT(text, HasSubstr("p99.9 "));
  EXPECT_THAT(text, HasSubstr("max 1.00s"));
  EXPECT_THAT(text, HasSubstr("503 x10"));
  EXPECT_THAT(text, HasSubstr("99.00%"));
  EXPECT_THAT(text, HasSubstr("transport errors x2"));
  EXPECT_THAT(text, HasSubstr(std::string(kJaeger) + "/trace/" + kTraceId));
  EXPECT_THAT(text, HasSubstr("(no trace id)"));
  EXPECT_THAT(text, HasSubstr("5.00s"));
  EXPECT_THAT(text, Not(HasSubstr("PARTIAL")));
  EXPECT_THAT(text, Not(HasSubstr("unknown-sku")));  // no requests: no row
}

TEST(FormatTextReport, MarksAPartialRunAndClosedLoop) {
  RunFacts facts{.target = "http://h:1", .mode = LoopMode::kClosed, .concurrency = 8,
                 .measured_s = 1.5, .interrupted = true, .mix = "ok=1"};
  auto text = FormatTextReport(facts, RunTotals{}, kJaeger);
  EXPECT_THAT(text, HasSubstr("PARTIAL"));
  EXPECT_THAT(text, HasSubstr("closed loop, concurrency 8"));
  EXPECT_THAT(text, Not(HasSubstr("schedule lag")));
  EXPECT_THAT(text, Not(HasSubstr("slowest")));
}

TEST(FormatTextReport, DurationsReadNaturally) {
  auto with_max = [](std::int64_t us) {
    RunTotals totals;
    totals.latency.Record(us);
    totals.requests_total = 1;
    RunFacts facts;
    facts.target = "t";
    facts.measured_s = 1;
    return FormatTextReport(facts, totals, kJaeger);
  };
  EXPECT_THAT(with_max(812), HasSubstr("max 812µs"));
  EXPECT_THAT(with_max(1250), HasSubstr("max 1.25ms"));
  EXPECT_THAT(with_max(12'500), HasSubstr("max 12.5ms"));
  EXPECT_THAT(with_max(125'000), HasSubstr("max 125ms"));
  EXPECT_THAT(with_max(999'700), HasSubstr("max 1.00s"));
  EXPECT_THAT(with_max(2'400'000), HasSubstr("max 2.40s"));
  EXPECT_THAT(with_max(0), HasSubstr("max 0µs"));
}

TEST(FormatCsvIntervals, HeaderAndRows) {
  std::vector<IntervalStats> intervals = {
      {.elapsed_s = 1, .requests = 1998, .errors = 2, .rate = 1998, .p50_us = 812, .p99_us = 1900,
       .max_us = 4000},
      {.elapsed_s = 2, .requests = 0, .errors = 0, .rate = 0, .p50_us = 0, .p99_us = 0, .max_us = 0},
  };
  EXPECT_EQ(FormatCsvIntervals(intervals),
            "second,requests,rate,errors,p50_us,p99_us,max_us\n"
            "1.0,1998,1998.0,2,812,1900,4000\n"
            "2.0,0,0.0,0,0,0,0\n");
  EXPECT_EQ(FormatCsvIntervals({}), "second,requests,rate,errors,p50_us,p99_us,max_us\n");
}

TEST(FormatTraceIds, OneLinePerRequestWithATraceId) {
  Recorder recorder(1, true);
  recorder.Record({.scenario = Scenario::kOk, .status = 201, .latency_us = 900,
                   .trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"});
  recorder.Record({.scenario = Scenario::kUnknownSku, .status = 404, .latency_us = 700,
                   .trace_id = "0af7651916cd43dd8448eb211c80319c"});
  recorder.Record({.scenario = Scenario::kOk, .outcome = Outcome::kTimeout, .latency_us = 5000});
  EXPECT_EQ(FormatTraceIds(recorder.Totals().every_request),
            "trace_id\tscenario\tstatus\tlatency_us\n"
            "4bf92f3577b34da6a3ce929d0e0e4736\tok\t201\t900\n"
            "0af7651916cd43dd8448eb211c80319c\tunknown-sku\t404\t700\n");
  EXPECT_TRUE(Recorder(1, false).Totals().every_request.empty());
}

TEST(FormatProgressLine, ShowsRateErrorsAndLatency) {
  IntervalStats interval{.elapsed_s = 12, .requests = 1998, .errors = 0, .rate = 1998,
                         .p50_us = 812, .p99_us = 1900, .max_us = 5000};
  auto line = FormatProgressLine(interval, 2000);
  EXPECT_EQ(line, "  12.0s    1,998 req/s (target 2,000)  errors 0   p50 812µs  p99 1.90ms");
  EXPECT_THAT(FormatProgressLine(interval, 0), Not(HasSubstr("target")));
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace hotorder::loadgen
