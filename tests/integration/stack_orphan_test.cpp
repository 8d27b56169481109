// The test support's stacks (support/stack_script.hpp) outlive a test process that dies without
// its destructors; the next one stops and removes them.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/http_get.hpp"
#include "support/stack_script.hpp"

namespace hotorder::test {
namespace {

// A process gone for good: no /proc entry, or a zombie nobody has reaped yet (no longer runs).
bool ProcessGone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!stat || !std::getline(stat, line)) return true;
  const auto close = line.rfind(')');
  return close == std::string::npos || line.substr(close + 2, 1) == "Z";
}

// The pid of a process that has exited and been reaped: nobody owns it now.
pid_t DeadPid() {
  ChildProcess child("/bin/true", {}, {}, "/dev/null");
  child.Stop();
  return child.pid();
}

TEST(StackScript, TheNextStackStopsAndRemovesTheStackOfADeadTestProcess) {
  const auto port = FreeLoopbackPort();
  // No database: waited for on /healthz only, which is also what HOTORDER_WAIT=healthz is for.
  auto orphan = std::make_unique<StackScript>(ChildProcess::Env{
      {"INVENTORY_SERVICE_PORT", std::to_string(port)},
      {"DATABASE_URL", "postgresql://hotorder@127.0.0.1:1/hotorder"},
      {"HOTORDER_WAIT", "healthz"}});
  const auto dir = orphan->state_dir();
  orphan->RunOrThrow({"start", "inventory-service"});
  const auto pid = orphan->Pid("inventory-service");
  ASSERT_TRUE(pid.has_value());
  ASSERT_FALSE(ProcessGone(*pid));

  StackScript alive;

  // As if this test process had crashed: the owner recorded there is gone.
  std::ofstream(dir / "owner.pid", std::ios::trunc) << DeadPid() << '\n';
  StackScript next;

  EXPECT_TRUE(ProcessGone(*pid)) << "the orphaned inventory-service (pid " << *pid
                                 << ") still runs";
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_FALSE(HttpGet("http://127.0.0.1:" + std::to_string(port) + "/healthz", {},
                       std::chrono::milliseconds(1000))
                   .ok());
  // A live owner's stack is left alone.
  EXPECT_TRUE(std::filesystem::exists(alive.state_dir() / "owner.pid"));
  orphan.reset();  // its directory is gone already: nothing to do
}

}  // namespace
}  // namespace hotorder::test
