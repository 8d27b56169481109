// `./hotorder up|status|doctor|down` end to end: the real script, the real Jaeger and Collector
// (collector-config/otelcol-tail-sampling.yaml, OTELCOL_BIN/JAEGER_BIN or the cached builds), the real Postgres
// (scripts/postgres.sh) and the real service binaries, on free ports and in a temporary state
// directory.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/http_get.hpp"
#include "support/service_stack.hpp"
#include "support/tracing_backend.hpp"

namespace hotorder::test {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kServices[] = {"inventory-service", "order-service", "api-gateway"};
// Every process `up` starts and records a pid for (Postgres has its own postmaster.pid).
constexpr const char* kProcesses[] = {"jaeger", "otelcol", "inventory-service", "order-service",
                                      "api-gateway"};

// Distinct free loopback ports.
std::vector<std::uint16_t> FreePorts(std::size_t count) {
  std::set<std::uint16_t> ports;
  while (ports.size() < count) ports.insert(FreeLoopbackPort());
  return {ports.begin(), ports.end()};
}

// The build whose services the script starts: HOTORDER_BUILD_DIR, else the one these tests
// were built in (<build>/services/<name>).
fs::path BuildDir() {
  if (const char* dir = std::getenv("HOTORDER_BUILD_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return ServiceExecutable("api-gateway").parent_path().parent_path();
}

// A process gone for good: no /proc entry, or a zombie nobody has reaped yet (no longer runs).
bool ProcessGone(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string line;
  if (!stat || !std::getline(stat, line)) return true;
  auto close = line.rfind(')');
  return close == std::string::npos || line.substr(close + 2, 1) == "Z";
}

class StackScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    build_dir_ = BuildDir();
    for (const char* service : kServices) {
      ASSERT_TRUE(fs::exists(build_dir_ / "services" / service))
          << (build_dir_ / "services" / service) << " is missing: build the services first";
    }
    std::string pattern = (fs::temp_directory_path() / "hotorder-stack-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    state_dir_ = pattern;
    auto ports = FreePorts(14);
    env_ = {{"HOTORDER_STATE_DIR", state_dir_.string()},
            {"HOTORDER_SKIP_BUILD", "1"},
            {"HOTORDER_BUILD_DIR", build_dir_.string()},
            {"GATEWAY_PORT", std::to_string(ports[0])},
            {"ORDER_SERVICE_PORT", std::to_string(ports[1])},
            {"INVENTORY_SERVICE_PORT", std::to_string(ports[2])},
            {"POSTGRES_PORT", std::to_string(ports[3])},
            {"STOCK_ROWS", "1000"},
            {"POSTGRES_EXTRA_OPTS", "-c fsync=off"},
            {"JAEGER_QUERY_PORT", std::to_string(ports[4])},
            {"JAEGER_QUERY_GRPC_PORT", std::to_string(ports[5])},
            {"JAEGER_OTLP_GRPC_PORT", std::to_string(ports[6])},
            {"JAEGER_OTLP_HTTP_PORT", std::to_string(ports[7])},
            {"JAEGER_HEALTH_PORT", std::to_string(ports[8])},
            {"COLLECTOR_OTLP_GRPC_PORT", std::to_string(ports[9])},
            {"COLLECTOR_OTLP_HTTP_PORT", std::to_string(ports[10])},
            {"COLLECTOR_HEALTH_PORT", std::to_string(ports[11])},
            {"COLLECTOR_ZPAGES_PORT", std::to_string(ports[12])},
            {"COLLECTOR_METRICS_PORT", std::to_string(ports[13])},
            // The production pipeline, but deciding quickly and keeping every trace, so the
            // order below is kept whatever its trace id hashes to.
            {"COLLECTOR_CONFIG", "otelcol-tail-sampling.yaml"},
            {"TAIL_SAMPLING_DECISION_WAIT", "1s"},
            {"TAIL_SAMPLING_PERCENTAGE", "100"},
            // Whatever the caller's environment says, the services export to the stack's own
            // Collector, and nothing else is set for them.
            {"OTEL_EXPORTER_OTLP_ENDPOINT", ""},
            {"ADMIN_TOKEN", ""},
            {"HOTORDER_READY_TIMEOUT", "60"}};
    gateway_url_ = "http://127.0.0.1:" + std::to_string(ports[0]);
    jaeger_url_ = "http://127.0.0.1:" + std::to_string(ports[4]);
    collector_health_url_ = "http://127.0.0.1:" + std::to_string(ports[11]) + "/";
  }

  void TearDown() override {
    if (state_dir_.empty()) return;
    Hotorder({"down"}, seconds(120));  // whatever the test left running
    std::error_code ignored;
    fs::remove_all(state_dir_, ignored);
  }

  struct Result {
    std::string exit;    // ChildProcess::ExitDescription()
    std::string output;  // stdout and stderr
    bool ok() const { return exit == "exited with status 0"; }
  };

  // Runs ./hotorder with `args` to completion (stopped after `timeout`: the script does the
  // waiting, with its own deadlines, and this only bounds it).
  Result Hotorder(std::vector<std::string> args, std::chrono::milliseconds timeout) {
    auto run = RunProgram(RepoRoot() / "hotorder", std::move(args),
                          state_dir_ / ("hotorder-" + std::to_string(++runs_) + ".log"), timeout,
                          env_);
    return {run.how, run.output};
  }

  std::vector<std::string> RecordedPids() const {
    std::vector<std::string> pids;
    for (const char* name : kProcesses) {
      std::ifstream file(state_dir_ / "run" / (std::string(name) + ".pid"));
      std::string pid;
      if (file >> pid) pids.push_back(pid);
    }
    return pids;
  }

  fs::path build_dir_;
  fs::path state_dir_;
  ChildProcess::Env env_;
  std::string gateway_url_;
  std::string jaeger_url_;
  std::string collector_health_url_;
  int runs_ = 0;
};

// The service names in a Jaeger /api/traces/{id} answer.
std::set<std::string> ServicesOf(const std::string& body) {
  std::set<std::string> services;
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.contains("data") || parsed["data"].empty()) return services;
  for (const auto& [id, process] : parsed["data"][0]["processes"].items()) {
    services.insert(process.value("serviceName", ""));
  }
  return services;
}

TEST_F(StackScriptTest, UpStatusDoctorDown) {
  Result up = Hotorder({"up"}, seconds(240));
  ASSERT_TRUE(up.ok()) << "./hotorder up " << up.exit << ":\n" << up.output;
  EXPECT_NE(up.output.find(jaeger_url_), std::string::npos) << up.output;

  Result status = Hotorder({"status"}, seconds(30));
  EXPECT_TRUE(status.ok()) << status.exit << ":\n" << status.output;
  for (const char* name : kProcesses) EXPECT_NE(status.output.find(name), std::string::npos) << name;
  EXPECT_NE(status.output.find(jaeger_url_), std::string::npos) << status.output;
  EXPECT_NE(status.output.find(collector_health_url_), std::string::npos) << status.output;
  EXPECT_NE(status.output.find("/debug/pipelinez"), std::string::npos) << status.output;
  EXPECT_NE(status.output.find("/metrics"), std::string::npos) << status.output;

  HttpResponse health = HttpGet(gateway_url_ + "/healthz");
  EXPECT_TRUE(health.ok()) << health.error;
  EXPECT_EQ(health.status, 200);

  // An order's trace goes services -> Collector -> Jaeger, all three services in it.
  HttpResponse order =
      HttpPost(gateway_url_ + "/api/orders",
               R"({"customer_id":"c-stack","items":[{"sku":"SKU-001","qty":1}]})",
               "application/json");
  ASSERT_EQ(order.status, 201) << order.error << order.body;
  const std::string trace_id = order.Header("X-Trace-Id").value_or("");
  ASSERT_EQ(trace_id.size(), 32u);
  // Under tail sampling, what hands out a trace id says the trace may not be kept, and
  // looking up one that is not there explains the pipeline's policies.
  EXPECT_NE(order.body.find("\"trace_note\""), std::string::npos) << order.body;
  Result missing =
      Hotorder({"investigate", "show", "0123456789abcdef0123456789abcdef"}, seconds(30));
  EXPECT_EQ(missing.exit, "exited with status 3") << missing.output;
  EXPECT_NE(missing.output.find("the tail-sampling pipeline"), std::string::npos) << missing.output;
  EXPECT_NE(missing.output.find("hotorder.keep=true"), std::string::npos) << missing.output;
  const std::set<std::string> all = {"api-gateway", "order-service", "inventory-service"};
  std::string last;
  bool found = false;
  for (auto deadline = std::chrono::steady_clock::now() + seconds(30);
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(milliseconds(100))) {
    HttpResponse trace = HttpGet(jaeger_url_ + "/api/traces/" + trace_id, {}, milliseconds(2000));
    last = trace.ok() ? std::to_string(trace.status) + " " + trace.body.substr(0, 300) : trace.error;
    if (trace.ok() && trace.status == 200 && ServicesOf(trace.body) == all) {
      found = true;
      break;
    }
  }
  EXPECT_TRUE(found) << "trace " << trace_id << " not complete in Jaeger: " << last << "\n"
                     << Hotorder({"logs", "otelcol", "-n", "20"}, seconds(10)).output;

  Result doctor = Hotorder({"doctor"}, seconds(60));
  EXPECT_TRUE(doctor.ok()) << doctor.exit << ":\n" << doctor.output;
  EXPECT_EQ(doctor.output.find("\u2717"), std::string::npos) << doctor.output;

  // The fault command reaches inventory-service's admin API.
  Result fault_on = Hotorder({"fault", "slow-index-scan", "on", "--delay-ms", "1"}, seconds(30));
  EXPECT_TRUE(fault_on.ok()) << fault_on.exit << ":\n" << fault_on.output;
  EXPECT_NE(fault_on.output.find("ON"), std::string::npos) << fault_on.output;
  Result fault_off = Hotorder({"fault", "off"}, seconds(30));
  EXPECT_TRUE(fault_off.ok()) << fault_off.exit << ":\n" << fault_off.output;
  EXPECT_NE(fault_off.output.find("slow-index-scan: off"), std::string::npos) << fault_off.output;

  Result logs = Hotorder({"logs", "jaeger", "-n", "5"}, seconds(10));
  EXPECT_TRUE(logs.ok()) << logs.exit << ":\n" << logs.output;

  // A second `up` leaves the running stack alone.
  auto pids = RecordedPids();
  ASSERT_EQ(pids.size(), std::size(kProcesses));
  Result again = Hotorder({"up"}, seconds(120));
  EXPECT_TRUE(again.ok()) << again.exit << ":\n" << again.output;
  EXPECT_EQ(RecordedPids(), pids);

  Result down = Hotorder({"down"}, seconds(120));
  ASSERT_TRUE(down.ok()) << "./hotorder down " << down.exit << ":\n" << down.output;
  for (const auto& pid : pids) EXPECT_TRUE(ProcessGone(pid)) << "pid " << pid << " still runs";
  EXPECT_TRUE(RecordedPids().empty());
  EXPECT_FALSE(HttpGet(gateway_url_ + "/healthz", {}, milliseconds(1000)).ok());
  EXPECT_FALSE(HttpGet(jaeger_url_ + "/api/services", {}, milliseconds(1000)).ok());
  EXPECT_FALSE(HttpGet(collector_health_url_, {}, milliseconds(1000)).ok());

  Result stopped = Hotorder({"status"}, seconds(30));
  EXPECT_EQ(stopped.exit, "exited with status 1") << stopped.output;
  EXPECT_NE(stopped.output.find("stopped"), std::string::npos) << stopped.output;

  // `down` with nothing running is fine.
  Result down_again = Hotorder({"down"}, seconds(60));
  EXPECT_TRUE(down_again.ok()) << down_again.exit << ":\n" << down_again.output;
}

}  // namespace
}  // namespace hotorder::test
