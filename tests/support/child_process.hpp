#pragma once
// A child process a test starts and owns: scripts/stack.sh (which starts the stack's long-lived
// processes detached, see stack_script.hpp), loadgen, investigate.
//
// - Started with fork + execve: an explicit argument vector (no shell, so nothing is re-parsed)
//   and the test's own environment plus `extra_env` (which wins for the same name).
// - stdout and stderr both go to `log_path` (appended), so a failing test can show its tail.
// - The child gets PR_SET_PDEATHSIG(SIGKILL): if the test process dies (a crash, a SIGKILL from
//   a CI timeout) the kernel kills the child too, so no child outlives its test. The signal
//   fires when the *thread* that forked exits, so start children from a thread that lives as
//   long as they should (gtest's main thread does).
// - Stop sends SIGTERM, waits up to a grace period, then SIGKILLs; it always reaps, so no zombie
//   stays behind. The destructor stops a child that is still running.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hotorder::test {

class ChildProcess {
 public:
  using Env = std::vector<std::pair<std::string, std::string>>;

  // Starts `program` (a path; PATH is not searched) with argv[1..] = `args`. Throws
  // std::runtime_error with the reason when the process cannot be started, including when
  // execve itself fails in the child (reported back through a close-on-exec pipe).
  ChildProcess(std::filesystem::path program, std::vector<std::string> args, Env extra_env,
               std::filesystem::path log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const noexcept { return pid_; }
  const std::filesystem::path& log_path() const noexcept { return log_path_; }

  // False once the child has exited (it is reaped then, and ExitDescription says how).
  bool IsRunning() noexcept;
  // "exited with status N", "killed by signal N", or "running".
  std::string ExitDescription() const;

  // SIGTERM, then SIGKILL once `grace` has passed; returns true when the child ended on its own
  // within the grace period (or had already ended). Idempotent.
  bool Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000)) noexcept;

 private:
  // Non-blocking reap; true when the child is gone.
  bool TryReap() noexcept;

  std::filesystem::path log_path_;
  pid_t pid_ = -1;
  std::optional<int> wait_status_;  // set once reaped
};

// A command-line program run to its end: how it ended, and what it printed.
struct ProgramRun {
  int exit_code = -1;  // -1 unless it exited (killed, or still running at the deadline)
  std::string how;     // ExitDescription(), or "still running after N ms" (it is then stopped)
  std::string output;  // this run's stdout and stderr together, as appended to the log
};
// Runs `program` with `args` (and `extra_env`, as ChildProcess takes it) until it exits or
// `timeout` passes, its output appended to `log`.
ProgramRun RunProgram(const std::filesystem::path& program, std::vector<std::string> args,
                      const std::filesystem::path& log, std::chrono::milliseconds timeout,
                      ChildProcess::Env extra_env = {});

// The last `max_lines` lines of a text file ("" when it cannot be read), for failure messages.
std::string TailOfFile(const std::filesystem::path& path, std::size_t max_lines = 40);

}  // namespace hotorder::test
