#pragma once
// scripts/stack.sh run as a program: the one owner of the native stack's processes (Postgres,
// Jaeger, the Collector, the three services), for the test support. PostgresInstance,
// TracingBackend and ServiceStack each own one StackScript: a fresh state directory
// (HOTORDER_STATE_DIR: logs/<name>.log, run/<name>.pid, postgres/) named
// $TMPDIR/hotorder-test-stack-XXXXXX, in which they call `stack.sh start|stop|seed|pid` with
// their ports and settings in the environment (the test's own environment passes through).
// What the script printed goes to stack.log there.
//
// stack.sh detaches what it starts (setsid), so a test process that dies without running its
// destructors (a crash, a CI timeout) would leave its processes running. So the test's pid is
// recorded in the state directory (owner.pid), and every new StackScript first looks for
// hotorder-test-stack-* directories whose owner is gone, runs `stack.sh down` there and removes
// them: nothing outlives a crashed test run for longer than the next one. A directory without
// owner.pid is left alone (logs kept on purpose, or one being created).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace hotorder::test {

class StackScript {
 public:
  // What happens to the state directory at destruction, once `stack.sh down` has run.
  enum class Logs {
    kRemove,             // always removed
    kKeepOnTestFailure,  // kept (its path printed) when a gtest failure was recorded or
                         // HOTORDER_KEEP_TEST_LOGS is set
  };

  // Reaps orphaned state directories, then creates this one. `env` is added to this process's
  // environment for every call (ports, settings); HOTORDER_STATE_DIR, and HOTORDER_BUILD_DIR as
  // the folder above ServicesDir() (stack.sh runs $HOTORDER_BUILD_DIR/services/<name>), are set
  // here. Throws when the directory cannot be made.
  explicit StackScript(ChildProcess::Env env = {}, Logs logs = Logs::kRemove);
  // `stack.sh down`, then the state directory goes (or stays, see Logs). Never throws.
  ~StackScript();
  StackScript(const StackScript&) = delete;
  StackScript& operator=(const StackScript&) = delete;

  const std::filesystem::path& state_dir() const noexcept { return state_dir_; }
  // The folder of the processes' logs (exists from construction on).
  std::filesystem::path log_dir() const { return state_dir_ / "logs"; }
  // Where component `name`'s stdout and stderr go (Postgres: postgres/postgres.log).
  std::filesystem::path LogPath(const std::string& name) const;

  // Sets a variable of every later call (replacing an earlier value).
  void SetEnv(const std::string& name, std::string value);

  // Runs `stack.sh args...` to its end, with `extra_env` on top of the instance's; the script
  // has its own deadlines (HOTORDER_READY_TIMEOUT, HOTORDER_STOP_TIMEOUT), `timeout` only
  // bounds it.
  ProgramRun Run(std::vector<std::string> args, const ChildProcess::Env& extra_env = {},
                 std::chrono::milliseconds timeout = std::chrono::minutes(5)) const;
  // The same, throwing std::runtime_error with the script's output unless it exits with 0.
  std::string RunOrThrow(std::vector<std::string> args,
                         const ChildProcess::Env& extra_env = {}) const;

  // `stack.sh stop names...`: true when it succeeded and every one ended on SIGTERM (none
  // needed a SIGKILL). Never throws.
  bool Stop(const std::vector<std::string>& names) const noexcept;
  // `stack.sh pid name`: the live pid, or nullopt when it does not run.
  std::optional<pid_t> Pid(const std::string& name) const;

 private:
  std::filesystem::path state_dir_;
  ChildProcess::Env env_;
  Logs logs_;
};

}  // namespace hotorder::test
