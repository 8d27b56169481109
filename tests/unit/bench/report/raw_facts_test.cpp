#include "bench/report/raw_facts.hpp"

#include <gtest/gtest.h>

namespace hotorder::bench_report {
namespace {

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

TEST(BenchReport, ReadsTheOtlpSinkTotals) {
  auto totals = ParseSinkTotals(
      "floor_chain: otlp-sink listening on 127.0.0.1:23456\n"
      "floor_chain: shutting down; otlp-sink answered 120 requests with 345678 body bytes\n");
  ASSERT_TRUE(totals);
  EXPECT_EQ(totals->requests, 120u);
  EXPECT_EQ(totals->body_bytes, 345678u);
  EXPECT_FALSE(ParseSinkTotals("floor_chain: otlp-sink listening on 127.0.0.1:23456\n"));
  EXPECT_FALSE(ParseSinkTotals("floor_chain: shutting down; otlp-sink answered many requests with 1 body bytes\n"));
}

}  // namespace
}  // namespace hotorder::bench_report
