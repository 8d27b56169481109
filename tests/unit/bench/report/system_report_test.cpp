#include "bench/report/system_report.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "bench/report/markdown.hpp"

namespace hotorder::bench_report {
namespace {

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

// Three rounds of the four systems. Latencies and rates vary by round; CPU does not:
//   untraced: 1000 ticks (10 s) for 2000 orders = 5000 µs per order;
//   sink:     1016 ticks for 2000 orders = 5080 µs, the sink 10 ticks = 50 µs per order;
//   collector: 1040 ticks = 5200 µs, the Collector 200 and Jaeger 100 ticks = 1500 µs per order;
// each traced phase exports 24,000 spans for its 3000 orders (8 per order) in 30 requests:
// 80 µs more per order over 8 spans is 10 µs per span to the sink, 200 / 8 = 25 to the Collector.
struct RoundRuns {
  std::int64_t p50[3], p99[3];
  double rps[3];
};
const std::map<std::string, RoundRuns> kRuns = {
    {"floor", {{1700, 1800, 1750}, {5000, 5400, 5200}, {2400, 2500, 2450}}},
    {"untraced", {{2500, 2600, 2550}, {6000, 6600, 6300}, {1500, 1560, 1530}}},
    {"sink", {{2510, 2620, 2560}, {6100, 6900, 6500}, {1450, 1500, 1470}}},
    {"collector", {{2600, 2700, 2650}, {9000, 9900, 9500}, {1200, 1250, 1230}}},
};

void AddMeasuredRun(std::string& facts, const std::string& run, const std::vector<int>& service_ticks,
                    const std::map<std::string, int>& backend_ticks) {
  for (std::size_t i = 0; i < ServiceNames().size(); ++i) {
    facts += run + ".cpu_before." + ServiceNames()[i] + "=" + Stat(100, 0) + "\n";
    facts += run + ".cpu_after." + ServiceNames()[i] + "=" + Stat(100 + service_ticks[i] - 50, 50) + "\n";
  }
  for (const auto& [process, ticks] : backend_ticks) {
    facts += run + ".cpu_before." + process + "=" + Stat(7, 3) + "\n";
    facts += run + ".cpu_after." + process + "=" + Stat(7 + ticks, 3) + "\n";
  }
  facts += run + ".orders_before=10000\n" + run + ".orders_after=12000\n";
}

Inputs CompleteInputs() {
  Inputs inputs;
  std::string error;
  std::string facts =
      "mode=full\ndate=2026-11-22T17:56:28Z\ncommit=0123abcd\nuncommitted_changes=0\ncores=2\n"
      "kernel=6.18.44\nclk_tck=100\nstock_rows=100000\nlight_rate=200\nlight_duration=10s\n"
      "warmup=2s\nsaturation_concurrency=32\nsaturation_duration=8s\ncompare_duration=10s\n"
      "compare_rounds=2\nopen_loop_rate=20000\nrounds=3\nsystems=floor untraced sink collector\n";
  for (int round = 1; round <= 3; ++round) {
    for (const auto& [system, runs] : kRuns) {
      const int i = round - 1;
      inputs.runs[LightRun(system, round)] = LoadgenReport(199.9, runs.p50[i], runs.p99[i], 2000, 2000);
      inputs.runs[SaturationRun(system, round)] =
          LoadgenReport(runs.rps[i], 20000, 45000, static_cast<std::int64_t>(runs.rps[i] * 8),
                        static_cast<std::int64_t>(runs.rps[i] * 8));
    }
    AddMeasuredRun(facts, SaturationRun("untraced", round), {400, 300, 300}, {});
    AddMeasuredRun(facts, SaturationRun("sink", round), {406, 305, 305}, {{"otlp-sink", 10}});
    AddMeasuredRun(facts, SaturationRun("collector", round), {416, 312, 312}, {{"otelcol", 200}, {"jaeger", 100}});
    for (const std::string system : {"sink", "collector"}) {
      const std::string phase = PhaseName(system, round);
      facts += phase + ".orders_at_start=1000\n" + phase + ".orders_at_stop=4000\n";
      inputs.service_logs[phase]["api-gateway"] = Totals(9000, 10);
      inputs.service_logs[phase]["order-service"] = Totals(9000, 10);
      inputs.service_logs[phase]["inventory-service"] = Totals(6000, 10);
    }
  }
  // Round 2's collector saturation run had 10 failed requests.
  inputs.runs[SaturationRun("collector", 2)] = LoadgenReport(1250, 20000, 45000, 10000, 9990);
  inputs.facts = *ParseFacts(facts, error);

  inputs.runs["loadgen-closed-1"] = LoadgenReport(115887.3, 503, 1019, 1158948, 1158948);
  inputs.runs["loadgen-closed-2"] = LoadgenReport(119783.0, 500, 934, 1197888, 1197888);
  inputs.runs["loadgen-open"] = LoadgenReport(19999.7, 124, 482, 200000, 200000);
  inputs.wrk_outputs = {"Requests/sec: 109299.12\n", "Requests/sec: 100000.5\n"};
  inputs.pg_test_fsync_output = "        fdatasync     6612.345 ops/sec     151 usecs/op\n";
  inputs.lscpu_output = "Architecture:   x86_64\nModel name:     AMD EPYC\n";
  inputs.meminfo = "MemTotal:       24641632 kB\nMemFree: 1 kB\n";
  // 3 rounds x 30 requests; 72,000 spans at 250 bytes each.
  inputs.sink_log = "floor_chain: shutting down; otlp-sink answered 90 requests with 18000000 body bytes\n";
  return inputs;
}

double Median(const Json& system, const std::string& pointer) {
  return system.at(Json::json_pointer(pointer + "/median")).get<double>();
}

TEST(BenchReport, ComputesEveryFigureOfACompleteRun) {
  Report report = BuildReport(CompleteInputs());
  ASSERT_TRUE(report.errors.empty()) << report.errors.front();
  const Json& system = report.system;
  EXPECT_TRUE(MissingFigures(system).empty()) << MissingFigures(system).front();

  EXPECT_EQ(system["machine"]["cpu"], "AMD EPYC");
  EXPECT_DOUBLE_EQ(system["machine"]["memory_gib"].get<double>(), 23.5);
  EXPECT_EQ(system["fsync_us"], 151);
  EXPECT_EQ(system["workload"]["rounds"], 3);

  // Each round's ratio, then the median: 2500/1700, 2600/1800, 2550/1750.
  EXPECT_DOUBLE_EQ(Median(system, "/hotorder_vs_floor/p50_ratio"), 2550.0 / 1750.0);
  EXPECT_DOUBLE_EQ(system["hotorder_vs_floor"]["p50_ratio"]["max"].get<double>(), 2500.0 / 1700.0);
  EXPECT_DOUBLE_EQ(Median(system, "/systems/floor/max_rps"), 2450);
  EXPECT_EQ(system["verdicts"]["p50_ratio"], "MISS");
  EXPECT_EQ(system["verdicts"]["p99_ratio"], "PASS");
  EXPECT_EQ(system["verdicts"]["max_rps_ratio"], "MISS");  // 0.62x

  // Tracing against the sink: +10, +20, +10 µs on p50; 1450/1500, 1500/1560, 1470/1530 req/s.
  EXPECT_DOUBLE_EQ(Median(system, "/tracing/sink/p50_delta_us"), 10);
  EXPECT_DOUBLE_EQ(Median(system, "/tracing/sink/throughput_ratio"), 1500.0 / 1560.0);
  EXPECT_DOUBLE_EQ(Median(system, "/tracing/sink/p99_ratio"), 6500.0 / 6300.0);
  EXPECT_DOUBLE_EQ(Median(system, "/systems/untraced/cpu_us_per_order"), 5000);
  EXPECT_DOUBLE_EQ(Median(system, "/systems/sink/cpu_us_per_order"), 5080);
  EXPECT_DOUBLE_EQ(Median(system, "/systems/sink/spans_per_order"), 8);
  EXPECT_NEAR(Median(system, "/tracing/sink/cpu_us_per_span"), 10, 1e-9);
  EXPECT_NEAR(Median(system, "/tracing/collector/cpu_us_per_span"), 25, 1e-9);
  EXPECT_NEAR(Median(system, "/systems/sink/backend_cpu_us_per_order"), 50, 1e-9);
  EXPECT_NEAR(Median(system, "/systems/collector/backend_cpu_us_per_order"), 1500, 1e-9);
  EXPECT_EQ(system["verdicts"]["traced_p50_delta_us"], "PASS");
  EXPECT_EQ(system["verdicts"]["traced_throughput_ratio"], "PASS");  // 0.962x
  EXPECT_EQ(system["verdicts"]["traced_p99_ratio"], "PASS");
  EXPECT_EQ(system["verdicts"]["cpu_us_per_span"], "MISS");  // judged on the sink's 10 µs

  const Json& sink = system["export"]["sink"];
  EXPECT_EQ(sink["spans_exported"], 72000);
  EXPECT_EQ(sink["export_requests"], 90);
  EXPECT_EQ(sink["requests_received"], 90);
  EXPECT_DOUBLE_EQ(sink["spans_per_request"].get<double>(), 800);
  EXPECT_DOUBLE_EQ(sink["bytes_per_span"].get<double>(), 250);
  EXPECT_EQ(system["export"]["collector"]["spans_dropped"], 0);
  EXPECT_FALSE(system["export"]["collector"].contains("requests_received"));
  EXPECT_EQ(system["verdicts"]["dropped_spans"], "PASS");

  // Best of the two client rounds each: 119783 / 109299.12.
  EXPECT_DOUBLE_EQ(system["loadgen"]["wrk_rps"].get<double>(), 109299.12);
  EXPECT_DOUBLE_EQ(system["loadgen"]["ratio"].get<double>(), 119783.0 / 109299.12);
  EXPECT_EQ(system["verdicts"]["open_loop"], "PASS");  // 19999.7 >= 99% of 20000

  // collector-saturation-2 had 10 failed requests: noted, not fatal.
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("collector-saturation-2: 10 of 10000"), std::string::npos) << report.warnings[0];
}

TEST(BenchReport, AMissingTracingTotalsLineLeavesThatRoundsExportFiguresEmpty) {
  Inputs inputs = CompleteInputs();
  inputs.service_logs["sink-2"]["order-service"] = "{\"msg\":\"configuration\"}\n";
  Report report = BuildReport(inputs);
  EXPECT_TRUE(report.errors.empty());
  const Json& system = report.system;
  EXPECT_TRUE(system["export"]["sink"]["spans_exported"].is_null());
  EXPECT_TRUE(system["tracing"]["sink"]["cpu_us_per_span"]["rounds"][1].is_null());
  // The other rounds still give the median.
  EXPECT_NEAR(Median(system, "/tracing/sink/cpu_us_per_span"), 10, 1e-9);
  EXPECT_EQ(system["verdicts"]["dropped_spans"], "n/a");
  auto missing = MissingFigures(system);
  EXPECT_NE(std::find(missing.begin(), missing.end(), "/tracing/sink/cpu_us_per_span/rounds/1"), missing.end());
  EXPECT_NE(std::find(missing.begin(), missing.end(), "/verdicts/dropped_spans"), missing.end());
  EXPECT_NE(RenderMarkdown(system).find("| dropped spans | — | 0 | 0 | n/a |"), std::string::npos)
      << RenderMarkdown(system);
}

TEST(BenchReport, ARunWithoutOneSuccessfulRequestIsAnError) {
  Inputs inputs = CompleteInputs();
  inputs.runs[LightRun("untraced", 3)] = LoadgenReport(199.9, 900, 1500, 4000, 0);
  inputs.runs.erase("loadgen-open");
  Report report = BuildReport(inputs);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_NE(report.errors[0].find("'untraced-light-3' had no successful request"), std::string::npos);
  EXPECT_NE(report.errors[1].find("no loadgen report for the run 'loadgen-open'"), std::string::npos);
}

TEST(BenchReport, TheScriptAndTheReportMustKnowTheSameSystems) {
  Inputs inputs = CompleteInputs();
  inputs.facts["systems"] = "floor untraced collector";
  Report report = BuildReport(inputs);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_NE(report.errors[0].find("bench_report knows floor untraced sink collector"), std::string::npos);
}

TEST(BenchReport, MarkdownHasTheMediansTheirSpreadAndNamesTheCommit) {
  Report report = BuildReport(CompleteInputs());
  std::string md = RenderMarkdown(report.system);
  EXPECT_NE(md.find("- Commit measured: `0123abcd`\n"), std::string::npos) << md;
  EXPECT_NE(md.find("3 rounds each measure four systems"), std::string::npos) << md;
  EXPECT_NE(md.find("| p50 | 1750 µs (1700–1800) | 2550 µs (2500–2600) | 1.46× (1.44–1.47) | ≤ 1.3× | MISS |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| max req/s | 1530 (1500–1560) | 1470 (1450–1500) | 0.962× (0.961–0.967) | ≥ 0.95× | PASS | "
                    "1230 (1200–1250) | 0.801× (0.800–0.804) |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| p50 | 2550 µs (2500–2600) | 2560 µs (2510–2620) | +10 µs (+10 to +20) | ≤ +20 µs | PASS |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| CPU per exported span | | | 10.00 µs (10.00–10.00) | ≤ 2 µs | MISS | | 25.00 µs (25.00–25.00) |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| export requests sent / received by the sink | 90 / 90 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| OTLP bytes per span | 250.0 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| closed loop req/s | 109299 | 119783 | 1.10× | ≥ 0.8× wrk | PASS |"), std::string::npos) << md;
  EXPECT_NE(md.find("| collector-saturation-2 | 10000 | 1250 | 20000 µs | 45000 µs | 135000 µs | 10 |"),
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

TEST(BenchReport, ASpreadFromANegativeValueSaysToInsteadOfADash) {
  Inputs inputs = CompleteInputs();
  // Round 1's sink run used less CPU per order than the untraced one: 4960 µs, -5 µs per span.
  for (const auto& service : ServiceNames()) inputs.facts.erase(SaturationRun("sink", 1) + ".cpu_after." + service);
  inputs.facts[SaturationRun("sink", 1) + ".cpu_after.api-gateway"] = Stat(100 + 392 - 50, 50);
  inputs.facts[SaturationRun("sink", 1) + ".cpu_after.order-service"] = Stat(100 + 300 - 50, 50);
  inputs.facts[SaturationRun("sink", 1) + ".cpu_after.inventory-service"] = Stat(100 + 300 - 50, 50);
  std::string md = RenderMarkdown(BuildReport(inputs).system);
  EXPECT_NE(md.find("| CPU per exported span | | | 10.00 µs (-5.00 to 10.00) |"), std::string::npos) << md;
}

TEST(BenchReport, TheSummaryGivesEachVerdict) {
  std::string summary = RenderSummary(BuildReport(CompleteInputs()).system);
  EXPECT_NE(summary.find("medians over 3 rounds"), std::string::npos) << summary;
  EXPECT_NE(summary.find("tracing -> sink: max req/s 0.962×, PASS, p50 +10 µs, PASS, p99 1.03×, PASS, CPU per span "
                         "10.00 µs, MISS"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("tracing -> collector: max req/s 0.801×, p50 +100 µs, p99 1.50×, CPU per span 25.00 µs"),
            std::string::npos)
      << summary;
}

}  // namespace
}  // namespace hotorder::bench_report
