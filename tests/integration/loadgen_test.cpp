// loadgen against the real stack: its own Postgres and services (its orders must not disturb
// the stock other tests rely on), an in-test OTLP receiver for loadgen's and the services'
// spans. A few seconds of mixed traffic, then the report is checked against itself and against
// what the database and the traces say happened.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/child_process.hpp"
#include "support/postgres_instance.hpp"
#include "support/service_stack.hpp"

namespace hotorder::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

// HOTORDER_LOADGEN overrides the binary built next to these tests.
fs::path Loadgen() {
  if (const char* path = getenv("HOTORDER_LOADGEN")) return path;
  return LoadgenExecutable();
}

// Waits for `process` to exit on its own; false if it is still running at the deadline.
bool WaitForExit(ChildProcess& process, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (process.IsRunning()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

std::uint64_t Count(const json& value) { return value.get<std::uint64_t>(); }

class LoadgenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    postgres_ = new PostgresInstance(1000);
    sink_ = new OtlpSink();
    stack_ = new ServiceStack({.database_url = postgres_->url(), .otlp_endpoint = sink_->Endpoint()});
  }
  static void TearDownTestSuite() {
    delete stack_;
    delete sink_;
    delete postgres_;
  }

  // Runs loadgen to completion with `args` and the target appended; returns its JSON report.
  json RunLoadgen(std::vector<std::string> args, ChildProcess::Env env = {}) {
    const fs::path dir = fs::temp_directory_path() /
                         ("hotorder-loadgen-" + std::to_string(::getpid()) + "-" +
                          std::to_string(runs_++));
    fs::create_directories(dir);
    const fs::path report = dir / "report.json";
    args.insert(args.end(), {"--no-progress", "--json", report.string(),
                             stack_->Url(ServiceStack::kGateway)});
    ChildProcess loadgen(Loadgen(), args, std::move(env), dir / "loadgen.log");
    EXPECT_TRUE(WaitForExit(loadgen, seconds(60))) << TailOfFile(dir / "loadgen.log");
    EXPECT_EQ(loadgen.ExitDescription(), "exited with status 0") << TailOfFile(dir / "loadgen.log");
    std::ifstream in(report);
    auto parsed = json::parse(in, nullptr, false);
    EXPECT_TRUE(parsed.is_object()) << TailOfFile(dir / "loadgen.log");
    return parsed;
  }

  static PostgresInstance* postgres_;
  static OtlpSink* sink_;
  static ServiceStack* stack_;
  static int runs_;
};

PostgresInstance* LoadgenTest::postgres_ = nullptr;
OtlpSink* LoadgenTest::sink_ = nullptr;
ServiceStack* LoadgenTest::stack_ = nullptr;
int LoadgenTest::runs_ = 0;

TEST_F(LoadgenTest, OpenLoopReportAddsUpAndMatchesTheDatabaseAndTheTraces) {
  const auto orders_before = std::stoull(postgres_->QueryValue("SELECT count(*) FROM orders"));

  json report = RunLoadgen(
      {"--rate", "100", "--duration", "3s", "--skus", "1000", "--slowest", "5", "--trace", "--mix",
       "ok=70,empty=5,unknown-sku=10,out-of-stock=10,get=5"},
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", sink_->Endpoint()}, {"OTEL_BSP_SCHEDULE_DELAY", "100"}});
  ASSERT_TRUE(report.is_object());

  // Counts add up: every request has one status class or one transport error, and one scenario.
  const auto total = Count(report["requests_total"]);
  EXPECT_GE(total, 250u);  // 100 req/s for 3 s, give or take the schedule's edges
  EXPECT_LE(total, 301u);
  std::uint64_t by_class = 0;
  for (const auto& [name, count] : report["status"].items()) by_class += Count(count);
  const auto& errors = report["errors"];
  EXPECT_EQ(Count(errors["connect"]) + Count(errors["read"]) + Count(errors["timeout"]), 0u);
  EXPECT_EQ(by_class, total);
  std::uint64_t by_scenario = 0;
  for (const auto& [name, scenario] : report["by_scenario"].items()) {
    by_scenario += Count(scenario["requests"]);
    // Statuses match scenarios: every request got the answer its scenario is built to get.
    EXPECT_EQ(Count(scenario["expected_status"]), Count(scenario["requests"])) << name;
  }
  EXPECT_EQ(by_scenario, total);
  EXPECT_EQ(Count(errors["status"]), 0u);
  EXPECT_NEAR(report["achieved_rps"].get<double>(), 100.0, 15.0);
  EXPECT_EQ(report["target_rps"].get<double>(), 100.0);

  // Every placed order is in the database, and only those.
  const auto placed = Count(report["by_scenario"]["ok"]["statuses"]["201"]);
  EXPECT_GT(placed, 0u);
  EXPECT_EQ(std::stoull(postgres_->QueryValue("SELECT count(*) FROM orders")) - orders_before,
            placed);

  // Latency percentiles are ordered, and the slowest requests name traces that exist: loadgen's
  // own root span and the gateway's SERVER span beneath it.
  const auto& latency = report["latency_us"];
  EXPECT_GT(latency["p50"].get<std::int64_t>(), 0);
  EXPECT_LE(latency["p50"], latency["p90"]);
  EXPECT_LE(latency["p90"], latency["p99"]);
  EXPECT_LE(latency["p99"], latency["p999"]);
  EXPECT_LE(latency["p999"], latency["max"]);
  ASSERT_EQ(report["slowest"].size(), 5u);
  const std::regex trace_id("[0-9a-f]{32}");
  for (const auto& slow : report["slowest"]) {
    const auto id = slow["trace_id"].get<std::string>();
    ASSERT_TRUE(std::regex_match(id, trace_id)) << id;
    EXPECT_LE(slow["latency_us"], latency["max"]);
    auto spans = sink_->WaitForTrace(
        id,
        [](const std::vector<DecodedSpan>& trace) {
          std::set<std::string> services;
          for (const auto& span : trace) services.insert(ResourceAttribute(span, "service.name"));
          return services.contains("loadgen") && services.contains("api-gateway");
        },
        seconds(10));
    std::set<std::string> services;
    for (const auto& span : spans) services.insert(ResourceAttribute(span, "service.name"));
    EXPECT_TRUE(services.contains("loadgen")) << id;
    EXPECT_TRUE(services.contains("api-gateway")) << id;
  }
}

TEST_F(LoadgenTest, ClosedLoopStopsAfterTheRequestedCount) {
  json report = RunLoadgen({"--concurrency", "4", "--requests", "200", "--skus", "1000",
                            "--mix", "ok=50,get=50"});
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(Count(report["requests_total"]), 200u);
  EXPECT_EQ(Count(report["status"]["2xx"]), 200u);
  EXPECT_EQ(Count(report["errors"]["status"]), 0u);
}

TEST_F(LoadgenTest, UnreachableTargetIsReportedNotHungOn) {
  const fs::path dir = fs::temp_directory_path() / ("hotorder-loadgen-" +
                                                    std::to_string(::getpid()) + "-unreachable");
  fs::create_directories(dir);
  // Nothing listens on port 1 of loopback: the connection is refused at once.
  ChildProcess loadgen(Loadgen(),
                       {"--rate", "10", "--duration", "30s", "--no-progress", "http://127.0.0.1:1"},
                       {}, dir / "loadgen.log");
  ASSERT_TRUE(WaitForExit(loadgen, seconds(10))) << "loadgen hung on an unreachable target";
  EXPECT_EQ(loadgen.ExitDescription(), "exited with status 1");
  EXPECT_NE(TailOfFile(dir / "loadgen.log").find("cannot connect"), std::string::npos)
      << TailOfFile(dir / "loadgen.log");
}

}  // namespace
}  // namespace hotorder::test
