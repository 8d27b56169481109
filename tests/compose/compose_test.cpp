// The workshop stack (compose/docker-compose.yaml) on the real Docker Engine, unchanged, with the
// offline stand-ins of the pinned images (compose/offline/): `./hotorder compose up --offline` on
// a project of its own and free ports, then the attendee's path and the instructor's incident:
//   1. every container healthy, or started where the image can run no probe
//   2. the lesson's order through the published gateway port, its trace in Jaeger with all three
//      services
//   3. one request slowed with baggage, listed by Jaeger's minimum-duration search, and
//      `investigate explain` naming db.reserve-stock
//   4. the missing-index incident, fixed through `docker compose exec` with the lesson's SQL:
//      the rows a reservation reads fall to a handful
//   5. `./hotorder compose down` leaves no container, network or volume of the project
// The tests run in order on one stack (one ctest entry, see tests/CMakeLists.txt).

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/http_get.hpp"
#include "support/jaeger_json.hpp"
#include "support/lesson.hpp"

namespace hotorder::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string UniqueProjectName() {
  std::random_device random;
  return "hotorder-test-" + std::to_string(::getpid()) + "-" + std::to_string(random() % 100000);
}

class ComposeStack {
 public:
  ComposeStack() : log_(std::filesystem::temp_directory_path() / (project_ + ".log")) {
    for (const char* variable : {"GATEWAY_PORT", "ORDER_SERVICE_PORT", "INVENTORY_SERVICE_PORT",
                                 "JAEGER_QUERY_PORT", "COLLECTOR_OTLP_GRPC_PORT",
                                 "COLLECTOR_OTLP_HTTP_PORT", "COLLECTOR_HEALTH_PORT"}) {
      env_.emplace_back(variable, std::to_string(FreeLoopbackPort()));
    }
    env_.emplace_back("COMPOSE_PROJECT_NAME", project_);
  }

  std::string Port(const std::string& variable) const {
    for (const auto& [name, value] : env_) {
      if (name == variable) return value;
    }
    return "";
  }
  std::string Url(const std::string& port_variable) const {
    return "http://127.0.0.1:" + Port(port_variable);
  }
  const std::string& project() const { return project_; }
  const std::filesystem::path& log() const { return log_; }

  // A program of the repository (scripts/compose.sh, ./hotorder) with this stack's settings.
  ProgramRun Run(const std::string& program, std::vector<std::string> args,
                 std::chrono::milliseconds timeout = 120s) const {
    return RunProgram(RepoRoot() / program, std::move(args), log_, timeout, env_);
  }

  std::optional<json> Jaeger(const std::string& path) const {
    const auto response = HttpGet(Url("JAEGER_QUERY_PORT") + path);
    if (!response.ok() || response.status != 200) return std::nullopt;
    return json::parse(response.body, nullptr, false);
  }

 private:
  std::string project_ = UniqueProjectName();
  std::filesystem::path log_;
  ChildProcess::Env env_;
};

class ComposeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = new ComposeStack();
    // The images are built by the stage before (./hotorder test); this finds them cached.
    up_ = new ProgramRun(stack_->Run("scripts/compose.sh", {"up", "--offline"}, 900s));
  }
  static void TearDownTestSuite() {
    // Whatever happened above: the project's containers, network and volume go.
    stack_->Run("scripts/compose.sh", {"down"});
    delete up_;
    delete stack_;
  }
  void SetUp() override {
    ASSERT_EQ(up_->exit_code, 0) << up_->how << "\n" << TailOfFile(stack_->log(), 60);
  }

  static HttpResponse Order(const HttpHeaders& headers = {}) {
    return HttpPost(stack_->Url("GATEWAY_PORT") + "/api/orders", kLessonBody, "application/json",
                    headers, 15s);
  }

  // The trace of a placed order from Jaeger, once every span of the lesson's waterfall is in.
  static json TraceOf(const HttpResponse& response) {
    const auto trace_id = response.Header("X-Trace-Id").value_or("");
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    json trace;
    while (std::chrono::steady_clock::now() < deadline) {
      trace = stack_->Jaeger("/api/traces/" + trace_id).value_or(json());
      if (!trace.is_discarded() && trace.contains("data") && !trace["data"].empty() &&
          HoldsTheWholeLessonTrace(trace)) {
        return trace;
      }
      std::this_thread::sleep_for(250ms);  // spans arrive in batches: poll with a deadline
    }
    ADD_FAILURE() << "trace " << trace_id << " never arrived whole in Jaeger: " << trace.dump();
    return trace;
  }

  static std::int64_t RowsScanned(const json& trace) {
    const auto value = ValueOf(SpanNamed(trace, "db.reserve-stock")["tags"], "db.rows_scanned");
    return value.is_number() ? value.get<std::int64_t>() : -1;
  }

  static ComposeStack* stack_;
  static ProgramRun* up_;
};
ComposeStack* ComposeTest::stack_ = nullptr;
ProgramRun* ComposeTest::up_ = nullptr;

TEST_F(ComposeTest, EveryContainerIsHealthyOrStarted) {
  const auto ps = stack_->Run("scripts/compose.sh", {"run", "ps"});
  ASSERT_EQ(ps.exit_code, 0) << ps.output;
  for (const char* service : {"postgres", "jaeger", "otelcol", "inventory-service",
                              "order-service", "api-gateway"}) {
    EXPECT_NE(ps.output.find(stack_->project() + "_" + service), std::string::npos)
        << service << " missing from:\n" << ps.output;
  }
  EXPECT_NE(up_->output.find("healthy after"), std::string::npos) << up_->output;
}

TEST_F(ComposeTest, TheLessonsOrderIsTracedThroughAllThreeServices) {
  const auto response = Order();
  ASSERT_EQ(response.status, 201) << response.error << response.body;
  const auto body = json::parse(response.body);
  EXPECT_EQ(body["status"], "confirmed");
  EXPECT_FALSE(body["order_id"].get<std::string>().empty());
  const auto trace = TraceOf(response);
  std::set<std::string> services;
  for (const auto& [id, process] : trace["data"][0]["processes"].items()) {
    services.insert(process["serviceName"].get<std::string>());
  }
  EXPECT_EQ(services, (std::set<std::string>{"api-gateway", "order-service", "inventory-service"}));
}

TEST_F(ComposeTest, OneRequestSlowedWithBaggageIsFoundByMinDurationAndExplained) {
  const auto started = std::chrono::steady_clock::now();
  const auto response = Order({{"baggage", "hotorder.fault=slow-index-scan"}});
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(response.status, 201) << response.error << response.body;
  EXPECT_GE(took, 300ms);
  const auto trace_id = response.Header("X-Trace-Id").value_or("");
  // The lesson's search: service api-gateway, Min Duration 300ms.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  bool listed = false;
  while (!listed && std::chrono::steady_clock::now() < deadline) {
    const auto found = stack_->Jaeger(
        "/api/traces?service=api-gateway&minDuration=300ms&lookback=1h&limit=50");
    for (const auto& trace : found.value_or(json::object()).value("data", json::array())) {
      listed = listed || trace["traceID"] == trace_id;
    }
    if (!listed) std::this_thread::sleep_for(250ms);  // Jaeger indexes the trace: poll
  }
  EXPECT_TRUE(listed) << "the Min Duration search never listed " << trace_id;
  // Each service's spans come in their own batch: explain the trace once all of it is in.
  ASSERT_TRUE(HoldsTheWholeLessonTrace(TraceOf(response)));

  const auto explained = RunProgram(
      InvestigateExecutable(),
      {"explain", "--jaeger", stack_->Url("JAEGER_QUERY_PORT"), "--wait", "30s", "--json", trace_id},
      stack_->log(), 60s);
  ASSERT_EQ(explained.exit_code, 0) << explained.output;
  const auto json_start = explained.output.find('{');
  ASSERT_NE(json_start, std::string::npos) << explained.output;
  const auto explanation = json::parse(explained.output.substr(json_start), nullptr, false);
  ASSERT_FALSE(explanation.is_discarded()) << explained.output;
  EXPECT_EQ(explanation["culprit"]["operation"], "db.reserve-stock") << explained.output;
}

TEST_F(ComposeTest, TheMissingIndexIsFixedWithTheLessonsSqlThroughComposeExec) {
  const auto on = stack_->Run("hotorder", {"fault", "--compose", "slow-index-scan", "on", "--mode",
                                           "missing-index"});
  ASSERT_EQ(on.exit_code, 0) << on.output;
  EXPECT_NE(on.output.find("stock_sku_idx missing"), std::string::npos) << on.output;
  const auto slow = Order();
  ASSERT_EQ(slow.status, 201) << slow.error << slow.body;
  EXPECT_GT(RowsScanned(TraceOf(slow)), 100'000) << "a reservation without the index scans stock";

  // What the workshop tells the attendee to type.
  const auto fix = stack_->Run("scripts/compose.sh", {"run", "exec", "-T", "postgres", "psql",
                                                      "-v", "ON_ERROR_STOP=1", "-U", "hotorder",
                                                      "-d", "hotorder", "-c", kLessonFix});
  ASSERT_EQ(fix.exit_code, 0) << fix.output;
  const auto fast = Order();
  ASSERT_EQ(fast.status, 201) << fast.error << fast.body;
  const auto rows = RowsScanned(TraceOf(fast));
  EXPECT_GE(rows, 0);
  EXPECT_LE(rows, kHandfulOfRows) << "after the fix a reservation reads a handful of rows";

  const auto off = stack_->Run("hotorder", {"fault", "--compose", "slow-index-scan", "off"});
  ASSERT_EQ(off.exit_code, 0) << off.output;
  EXPECT_NE(off.output.find("stock_sku_idx unique"), std::string::npos) << off.output;
}

// Last: the stack goes, and nothing of the project is left.
TEST_F(ComposeTest, DownLeavesNoContainerNetworkOrVolume) {
  const auto down = stack_->Run("hotorder", {"compose", "down"});
  ASSERT_EQ(down.exit_code, 0) << down.output;
  const std::string filter = "label=com.docker.compose.project=" + stack_->project();
  for (const std::vector<std::string>& listing :
       {std::vector<std::string>{"ps", "-aq", "--filter", filter},
        std::vector<std::string>{"network", "ls", "-q", "--filter", filter},
        std::vector<std::string>{"volume", "ls", "-q", "--filter", filter}}) {
    std::vector<std::string> args{"docker"};
    args.insert(args.end(), listing.begin(), listing.end());
    const auto left = RunProgram("/usr/bin/env", args, stack_->log(), 60s);
    ASSERT_EQ(left.exit_code, 0) << left.output;
    EXPECT_EQ(left.output, "") << "docker " << listing[0] << " still lists the project's";
  }
}

}  // namespace
}  // namespace hotorder::test
