#include "bench/report/system_report.hpp"

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

TEST(BenchReport, ParsesWrkOutput) {
  const char* output =
      "Running 10s test @ http://127.0.0.1:23456/\n"
      "  1 threads and 64 connections\n"
      "  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"
      "    Latency   580.57us  123.45us   7.12ms   90.12%\n"
      "    Req/Sec   110.01k     3.21k  115.00k    80.00%\n"
      "  1093001 requests in 10.00s, 78.23MB read\n"
      "Requests/sec: 109299.12\n"
      "Transfer/sec:      7.82MB\n";
  EXPECT_DOUBLE_EQ(*ParseWrkRequestsPerSecond(output), 109299.12);
  EXPECT_FALSE(ParseWrkRequestsPerSecond("unable to connect to 127.0.0.1:1 Connection refused\n"));
}

TEST(BenchReport, ParsesTheFirstFdatasyncFigureOfPgTestFsync) {
  const char* output =
      "2 seconds per test\n"
      "O_DIRECT supported on this platform for open_datasync and open_sync.\n"
      "\n"
      "Compare file sync methods using one 8kB write:\n"
      "(in wal_sync_method preference order, except fdatasync is Linux's default)\n"
      "        open_datasync                      6498.125 ops/sec     154 usecs/op\n"
      "        fdatasync                          6612.345 ops/sec     151 usecs/op\n"
      "        fsync                              3302.000 ops/sec     303 usecs/op\n"
      "\n"
      "Compare file sync methods using two 8kB writes:\n"
      "        fdatasync                          3000.000 ops/sec     333 usecs/op\n";
  EXPECT_DOUBLE_EQ(*ParseFdatasyncMicros(output), 151);
  // The name is printed before the test runs, the figure after it.
  EXPECT_FALSE(ParseFdatasyncMicros("        open_datasync    6498.125 ops/sec     154 usecs/op\n"
                                    "        fdatasync                 "));
  EXPECT_FALSE(ParseFdatasyncMicros(""));
}

TEST(BenchReport, CpuTicksAreUtimePlusStime) {
  // utime 250 and stime 50 are fields 14 and 15; comm may hold spaces and parentheses.
  const char* stat = "4242 (api (gate) way) S 1 4242 4242 0 -1 4194560 1200 0 0 0 250 50 0 0 20 0 9 0 "
                     "123456 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0";
  EXPECT_EQ(ParseCpuTicks(stat), 300u);
  EXPECT_FALSE(ParseCpuTicks("4242 (short) S 1 2"));
  EXPECT_FALSE(ParseCpuTicks(""));
}

TEST(BenchReport, ReadsTheLastTracingTotalsLine) {
  const char* log =
      "---- 2026-11-22T17:56:28Z started by scripts/stack.sh ----\n"
      "{\"level\":\"info\",\"msg\":\"configuration\",\"port\":8080}\n"
      "{\"level\":\"info\",\"msg\":\"tracing totals\",\"spans_exported\":1}\n"
      "{\"level\":\"info\",\"msg\":\"tracing totals\",\"spans_started\":900,\"spans_ended\":900,"
      "\"spans_exported\":880,\"spans_dropped\":20,\"export_requests\":4}\n";
  std::string error;
  auto totals = ParseTracingTotals(log, error);
  ASSERT_TRUE(totals) << error;
  EXPECT_EQ(totals->spans_exported, 880u);
  EXPECT_EQ(totals->spans_dropped, 20u);
  EXPECT_EQ(totals->export_requests, 4u);
  EXPECT_EQ(totals->export_failures, 0u);  // not in the line: 0

  EXPECT_FALSE(ParseTracingTotals("{\"msg\":\"configuration\"}\n", error));
  EXPECT_EQ(error, "no \"tracing totals\" line");
  EXPECT_FALSE(ParseTracingTotals("{\"msg\":\"tracing totals\",\"spans_exported\":\"many\"}\n", error));
}

TEST(BenchReport, FactsAreKeyValueLines) {
  std::string error;
  auto facts = ParseFacts("# raw facts\nmode=quick\nstat=1 (a b) S 1=2\n\n", error);
  ASSERT_TRUE(facts) << error;
  EXPECT_EQ(facts->at("mode"), "quick");
  EXPECT_EQ(facts->at("stat"), "1 (a b) S 1=2");
  EXPECT_FALSE(ParseFacts("mode=quick\nmode=full\n", error));
  EXPECT_NE(error.find("given twice"), std::string::npos) << error;
  EXPECT_FALSE(ParseFacts("no equals sign\n", error));
}

// A loadgen report with the fields the report reads.
Json LoadgenReport(double rps, std::int64_t p50, std::int64_t p99, std::int64_t requests, std::int64_t ok) {
  return Json{{"requests_total", requests},
              {"target_rps", 0},
              {"achieved_rps", rps},
              {"latency_us", {{"p50", p50}, {"p99", p99}, {"max", p99 * 3}}},
              {"status", {{"1xx", 0}, {"2xx", ok}, {"3xx", 0}, {"4xx", 0}, {"5xx", requests - ok}}},
              {"errors", {{"connect", 0}, {"read", 0}, {"timeout", 0}, {"status", requests - ok}}}};
}

std::string Stat(std::uint64_t utime, std::uint64_t stime) {
  return "7 (svc) S 1 7 7 0 -1 0 0 0 0 0 " + std::to_string(utime) + " " + std::to_string(stime) +
         " 0 0 20 0 9 0 100 0 0";
}

std::string Totals(int exported, int requests) {
  return "{\"msg\":\"tracing totals\",\"spans_started\":" + std::to_string(exported) +
         ",\"spans_ended\":" + std::to_string(exported) + ",\"spans_exported\":" +
         std::to_string(exported) + ",\"spans_dropped\":0,\"export_requests\":" +
         std::to_string(requests) + ",\"export_failures\":0}\n";
}

Inputs CompleteInputs() {
  Inputs inputs;
  std::string error;
  std::string facts =
      "mode=full\ndate=2026-11-22T17:56:28Z\ncommit=0123abcd\nuncommitted_changes=0\ncores=2\n"
      "kernel=6.18.44\nclk_tck=100\nstock_rows=100000\nlight_rate=200\nlight_duration=20s\n"
      "warmup=3s\nsaturation_concurrency=32\nsaturation_duration=15s\ncompare_duration=10s\n"
      "compare_rounds=2\nopen_loop_rate=20000\n"
      "hotorder-saturation.orders_before=8000\nhotorder-saturation.orders_after=10000\n"
      "hotorder-saturation.started_at=100.0\nhotorder-saturation.ended_at=118.5\n"
      "traced-saturation.orders_before=10000\ntraced-saturation.orders_after=11000\n"
      "traced-saturation.started_at=200.25\ntraced-saturation.ended_at=220.25\n";
  // Untraced: 2000 orders on 10 s of CPU (5 ms each); traced: 1000 orders on 7 s (7 ms each).
  for (const auto& service : ServiceNames()) {
    facts += "hotorder-saturation.cpu_before." + service + "=" + Stat(100, 0) + "\n";
    facts += "traced-saturation.cpu_before." + service + "=" + Stat(50, 50) + "\n";
  }
  facts += "hotorder-saturation.cpu_after.api-gateway=" + Stat(400, 100) + "\n";
  facts += "hotorder-saturation.cpu_after.order-service=" + Stat(300, 100) + "\n";
  facts += "hotorder-saturation.cpu_after.inventory-service=" + Stat(100, 300) + "\n";
  facts += "traced-saturation.cpu_after.api-gateway=" + Stat(300, 100) + "\n";
  facts += "traced-saturation.cpu_after.order-service=" + Stat(200, 100) + "\n";
  facts += "traced-saturation.cpu_after.inventory-service=" + Stat(100, 200) + "\n";
  inputs.facts = *ParseFacts(facts, error);

  inputs.runs["floor-light"] = LoadgenReport(199.9, 1724, 5339, 4000, 4000);
  inputs.runs["floor-saturation"] = LoadgenReport(2485.2, 12303, 27743, 37271, 37271);
  inputs.runs["hotorder-light"] = LoadgenReport(199.9, 2519, 6631, 4000, 4000);
  inputs.runs["hotorder-saturation"] = LoadgenReport(1508.1, 20207, 45375, 22617, 22617);
  inputs.runs["traced-light"] = LoadgenReport(199.9, 2557, 11423, 4000, 4000);
  inputs.runs["traced-saturation"] = LoadgenReport(1158.4, 25935, 63871, 17370, 17360);
  inputs.runs["loadgen-closed-1"] = LoadgenReport(115887.3, 503, 1019, 1158948, 1158948);
  inputs.runs["loadgen-closed-2"] = LoadgenReport(119783.0, 500, 934, 1197888, 1197888);
  inputs.runs["loadgen-open"] = LoadgenReport(19999.7, 124, 482, 200000, 200000);
  inputs.wrk_outputs = {"Requests/sec: 109299.12\n", "Requests/sec: 100000.5\n"};
  inputs.pg_test_fsync_output = "        fdatasync     6612.345 ops/sec     151 usecs/op\n";
  inputs.lscpu_output = "Architecture:   x86_64\nModel name:     AMD EPYC\n";
  inputs.meminfo = "MemTotal:       24641632 kB\nMemFree: 1 kB\n";
  // 1000 orders, 6000 spans exported in 20 requests.
  inputs.traced_service_logs["api-gateway"] = Totals(2000, 5);
  inputs.traced_service_logs["order-service"] = Totals(2000, 7);
  inputs.traced_service_logs["inventory-service"] = Totals(2000, 8);
  return inputs;
}

TEST(BenchReport, ComputesEveryFigureOfACompleteRun) {
  Report report = BuildReport(CompleteInputs());
  ASSERT_TRUE(report.errors.empty()) << report.errors.front();
  const Json& system = report.system;
  EXPECT_TRUE(MissingFigures(system).empty()) << MissingFigures(system).front();

  EXPECT_EQ(system["machine"]["cpu"], "AMD EPYC");
  EXPECT_DOUBLE_EQ(system["machine"]["memory_gib"].get<double>(), 23.5);
  EXPECT_EQ(system["fsync_us"], 151);
  EXPECT_DOUBLE_EQ(system["hotorder"]["p50_ratio"].get<double>(), 2519.0 / 1724.0);
  EXPECT_EQ(system["verdicts"]["p50_ratio"], "MISS");
  EXPECT_EQ(system["verdicts"]["p99_ratio"], "PASS");
  EXPECT_EQ(system["tracing_overhead"]["p50_delta_us"], 38);
  EXPECT_EQ(system["verdicts"]["traced_p50_delta_us"], "MISS");
  // Best of the two rounds each: 119783 / 109299.12.
  EXPECT_DOUBLE_EQ(system["loadgen"]["wrk_rps"].get<double>(), 109299.12);
  EXPECT_DOUBLE_EQ(system["loadgen"]["ratio"].get<double>(), 119783.0 / 109299.12);
  EXPECT_EQ(system["verdicts"]["open_loop"], "PASS");  // 19999.7 >= 99% of 20000

  const Json& exported = system["export"];
  EXPECT_EQ(exported["spans_exported"], 6000);
  EXPECT_DOUBLE_EQ(exported["spans_per_second"].get<double>(), 300);  // 6000 over 20 s
  EXPECT_DOUBLE_EQ(exported["avg_spans_per_request"].get<double>(), 300);
  EXPECT_DOUBLE_EQ(exported["services_cpu_seconds"]["untraced"].get<double>(), 10);
  EXPECT_DOUBLE_EQ(exported["services_cpu_seconds"]["traced"].get<double>(), 7);
  // 2 ms more CPU per order, 6 spans per order: 333.33 µs per span.
  EXPECT_NEAR(exported["cpu_us_per_span"].get<double>(), 2000.0 / 6, 1e-9);
  EXPECT_EQ(system["verdicts"]["dropped_spans"], "PASS");

  // traced-saturation had 10 failed requests: noted, not fatal.
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("traced-saturation: 10 of 17370"), std::string::npos);
}

TEST(BenchReport, AMissingTracingTotalsLineLeavesTheExportFiguresEmpty) {
  Inputs inputs = CompleteInputs();
  inputs.traced_service_logs["order-service"] = "{\"msg\":\"configuration\"}\n";
  Report report = BuildReport(inputs);
  EXPECT_TRUE(report.errors.empty());
  EXPECT_TRUE(report.system["export"]["spans_exported"].is_null());
  EXPECT_TRUE(report.system["export"]["cpu_us_per_span"].is_null());
  EXPECT_EQ(report.system["verdicts"]["dropped_spans"], "n/a");
  auto missing = MissingFigures(report.system);
  EXPECT_NE(std::find(missing.begin(), missing.end(), "/export/cpu_us_per_span"), missing.end());
  EXPECT_NE(std::find(missing.begin(), missing.end(), "/verdicts/dropped_spans"), missing.end());
  EXPECT_NE(RenderMarkdown(report.system).find("| dropped spans | — | 0 | n/a |"), std::string::npos);
}

TEST(BenchReport, ARunWithoutOneSuccessfulRequestIsAnError) {
  Inputs inputs = CompleteInputs();
  inputs.runs["hotorder-light"] = LoadgenReport(199.9, 900, 1500, 4000, 0);
  inputs.runs.erase("loadgen-open");
  Report report = BuildReport(inputs);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_NE(report.errors[0].find("'hotorder-light' had no successful request"), std::string::npos);
  EXPECT_NE(report.errors[1].find("no loadgen report for the run 'loadgen-open'"), std::string::npos);
}

TEST(BenchReport, MarkdownHasTheFiguresAndNamesTheCommit) {
  Report report = BuildReport(CompleteInputs());
  std::string md = RenderMarkdown(report.system);
  EXPECT_NE(md.find("- Commit measured: `0123abcd`\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| p50 | 1724 µs | 2519 µs | 1.46× | ≤ 1.3× | MISS |"), std::string::npos) << md;
  EXPECT_NE(md.find("| max req/s | 1508 | 1158 | 0.768× | ≥ 0.95× | MISS |"), std::string::npos) << md;
  EXPECT_NE(md.find("| p50 | 2519 µs | 2557 µs | +38 µs | ≤ +20 µs | MISS |"), std::string::npos) << md;
  EXPECT_NE(md.find("| CPU per span | 333.33 µs | — | |"), std::string::npos) << md;
  EXPECT_NE(md.find("| closed loop req/s | 109299 | 119783 | 1.10× | ≥ 0.8× wrk | PASS |"), std::string::npos) << md;
  EXPECT_NE(md.find("| traced-saturation | 17370 | 1158 | 25935 µs | 63871 µs | 191613 µs | 10 |"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("quick"), std::string::npos);

  Inputs dirty = CompleteInputs();
  dirty.facts["uncommitted_changes"] = "1";
  dirty.facts["mode"] = "quick";
  md = RenderMarkdown(BuildReport(dirty).system);
  EXPECT_NE(md.find("- Commit measured: uncommitted changes on top of `0123abcd`\n"), std::string::npos) << md;
  EXPECT_NE(md.find("`./hotorder bench system --quick`"), std::string::npos) << md;
  EXPECT_NE(md.find("build/bench/quick/system-runs/wrk-*.txt"), std::string::npos) << md;
}

}  // namespace
}  // namespace hotorder::bench_report
