// `./hotorder up|status|down` end to end: the real script, the real Postgres (scripts/postgres.sh)
// and the real service binaries, on free ports and in a temporary state directory.

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

#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/http_get.hpp"
#include "support/service_stack.hpp"
#include "support/test_http_server.hpp"
#include "support/tracing_backend.hpp"

namespace hotorder::test {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kServices[] = {"inventory-service", "order-service", "api-gateway"};

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
    auto ports = FreePorts(4);
    env_ = {{"HOTORDER_STATE_DIR", state_dir_.string()},
            {"HOTORDER_SKIP_BUILD", "1"},
            {"HOTORDER_BUILD_DIR", build_dir_.string()},
            {"GATEWAY_PORT", std::to_string(ports[0])},
            {"ORDER_SERVICE_PORT", std::to_string(ports[1])},
            {"INVENTORY_SERVICE_PORT", std::to_string(ports[2])},
            {"POSTGRES_PORT", std::to_string(ports[3])},
            {"STOCK_ROWS", "1000"},
            {"POSTGRES_EXTRA_OPTS", "-c fsync=off"},
            // Spans go to an in-test receiver rather than a Collector that is not running.
            {"OTEL_EXPORTER_OTLP_ENDPOINT", otlp_.BaseUrl()},
            {"HOTORDER_READY_TIMEOUT", "60"}};
    gateway_url_ = "http://127.0.0.1:" + std::to_string(ports[0]);
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

  // Runs ./hotorder with `args` to completion (SIGTERM, then SIGKILL, after `timeout`).
  Result Hotorder(std::vector<std::string> args, std::chrono::milliseconds timeout) {
    fs::path log = state_dir_ / ("hotorder-" + std::to_string(++runs_) + ".log");
    ChildProcess process(RepoRoot() / "hotorder", std::move(args), env_, log);
    // The script does the waiting (with its own deadlines); this poll only bounds it.
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (process.IsRunning() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(50));
    }
    process.Stop(milliseconds(2000));
    return {process.ExitDescription(), TailOfFile(log, 60)};
  }

  std::vector<std::string> RecordedPids() const {
    std::vector<std::string> pids;
    for (const char* service : kServices) {
      std::ifstream file(state_dir_ / "run" / (std::string(service) + ".pid"));
      std::string pid;
      if (file >> pid) pids.push_back(pid);
    }
    return pids;
  }

  TestHttpServer otlp_;
  fs::path build_dir_;
  fs::path state_dir_;
  ChildProcess::Env env_;
  std::string gateway_url_;
  int runs_ = 0;
};

TEST_F(StackScriptTest, UpStatusDown) {
  Result up = Hotorder({"up"}, seconds(240));
  ASSERT_TRUE(up.ok()) << "./hotorder up " << up.exit << ":\n" << up.output;

  Result status = Hotorder({"status"}, seconds(30));
  EXPECT_TRUE(status.ok()) << status.exit << ":\n" << status.output;
  for (const char* service : kServices) EXPECT_NE(status.output.find(service), std::string::npos);

  HttpResponse health = HttpGet(gateway_url_ + "/healthz");
  EXPECT_TRUE(health.ok()) << health.error;
  EXPECT_EQ(health.status, 200);

  // A second `up` leaves the running stack alone.
  auto pids = RecordedPids();
  ASSERT_EQ(pids.size(), 3u);
  Result again = Hotorder({"up"}, seconds(120));
  EXPECT_TRUE(again.ok()) << again.exit << ":\n" << again.output;
  EXPECT_EQ(RecordedPids(), pids);

  Result down = Hotorder({"down"}, seconds(120));
  ASSERT_TRUE(down.ok()) << "./hotorder down " << down.exit << ":\n" << down.output;
  for (const auto& pid : pids) EXPECT_TRUE(ProcessGone(pid)) << "pid " << pid << " still runs";
  EXPECT_TRUE(RecordedPids().empty());
  EXPECT_FALSE(HttpGet(gateway_url_ + "/healthz", {}, milliseconds(1000)).ok());

  Result stopped = Hotorder({"status"}, seconds(30));
  EXPECT_EQ(stopped.exit, "exited with status 1") << stopped.output;
  EXPECT_NE(stopped.output.find("stopped"), std::string::npos) << stopped.output;

  // `down` with nothing running is fine.
  Result down_again = Hotorder({"down"}, seconds(60));
  EXPECT_TRUE(down_again.ok()) << down_again.exit << ":\n" << down_again.output;
}

}  // namespace
}  // namespace hotorder::test
