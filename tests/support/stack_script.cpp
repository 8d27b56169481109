#include "support/stack_script.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

#include "support/build_paths.hpp"

namespace hotorder::test {
namespace {

constexpr std::string_view kDirPrefix = "hotorder-test-stack-";
constexpr const char* kOwnerFile = "owner.pid";
constexpr std::chrono::minutes kDownTimeout{2};

// The script has no shebang line (./hotorder sources it), so bash runs it.
constexpr const char* kBash = "/bin/bash";
std::filesystem::path Script() { return RepoRoot() / "scripts" / "stack.sh"; }

std::vector<std::string> BashArgs(std::vector<std::string> args) {
  args.insert(args.begin(), Script().string());
  return args;
}

std::string CommandLine(const std::vector<std::string>& args) {
  std::string line = "scripts/stack.sh";
  for (const auto& arg : args) line += " " + arg;
  return line;
}

// True when the pid in the (locked) owner file names a process that no longer exists. An empty
// or unreadable file is a directory still being created: not an orphan.
bool OwnerGone(int fd) {
  char text[32] = {};
  const ssize_t got = ::pread(fd, text, sizeof text - 1, 0);
  if (got <= 0) return false;
  const long pid = std::strtol(text, nullptr, 10);
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

// `stack.sh down` in an orphaned state directory, then the directory goes. When down fails the
// directory stays (with its owner file), so the next sweep tries again.
void Reap(const std::filesystem::path& dir) {
  std::string problem;
  try {
    const auto run = RunProgram(kBash, BashArgs({"down"}), dir / "reap.log", kDownTimeout,
                                {{"HOTORDER_STATE_DIR", dir.string()},
                                 {"HOTORDER_STOP_TIMEOUT", "5"}});
    if (run.exit_code != 0) problem = run.how + ":\n" + run.output;
  } catch (const std::exception& failure) {
    problem = failure.what();
  }
  if (!problem.empty()) {
    std::fprintf(stderr, "[stack] could not stop the orphaned stack in %s (left for the next "
                 "run): %s\n", dir.c_str(), problem.c_str());
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

// Stacks of test processes that died without their destructors would otherwise run on.
void ReapOrphans() {
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::temp_directory_path(), ec)) {
    if (!entry.path().filename().string().starts_with(kDirPrefix)) continue;
    const auto owner = entry.path() / kOwnerFile;
    const int fd = ::open(owner.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    // The lock keeps two test processes from reaping the same directory at once; the second
    // finds the owner file gone once it gets the lock.
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0 && std::filesystem::exists(owner, ec) &&
        OwnerGone(fd)) {
      Reap(entry.path());
    }
    ::close(fd);
  }
}

std::filesystem::path MakeStateDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(kDirPrefix) + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  const std::filesystem::path dir(pattern);
  std::ofstream(dir / kOwnerFile) << ::getpid() << '\n';
  std::filesystem::create_directories(dir / "logs");
  return dir;
}

}  // namespace

StackScript::StackScript(ChildProcess::Env env, Logs logs) : logs_(logs) {
  ReapOrphans();
  state_dir_ = MakeStateDir();
  // stack.sh runs $HOTORDER_BUILD_DIR/services/<name>: the services of this build.
  env_.emplace_back("HOTORDER_BUILD_DIR", ServicesDir().parent_path().string());
  for (auto& entry : env) env_.push_back(std::move(entry));
  env_.emplace_back("HOTORDER_STATE_DIR", state_dir_.string());
}

StackScript::~StackScript() {
  std::error_code ec;
  if (state_dir_.empty() || !std::filesystem::exists(state_dir_ / kOwnerFile, ec)) return;
  std::string problem;
  try {
    const auto run = Run({"down"}, {}, kDownTimeout);
    if (run.exit_code != 0) problem = run.how + ":\n" + run.output;
  } catch (const std::exception& failure) {
    problem = failure.what();
  }
  if (!problem.empty()) {
    // The owner file stays: the next test run's first StackScript tries again.
    std::fprintf(stderr, "[stack] `stack.sh down` failed in %s: %s\n", state_dir_.c_str(),
                 problem.c_str());
    return;
  }
  const bool keep = logs_ == Logs::kKeepOnTestFailure &&
                    (::testing::UnitTest::GetInstance()->Failed() ||
                     std::getenv("HOTORDER_KEEP_TEST_LOGS") != nullptr);
  if (keep) {
    // Nothing runs there any more: without an owner file no sweep removes the logs.
    std::filesystem::remove(state_dir_ / kOwnerFile, ec);
    std::fprintf(stderr, "[stack] logs kept in %s\n", log_dir().c_str());
    return;
  }
  std::filesystem::remove_all(state_dir_, ec);
}

std::filesystem::path StackScript::LogPath(const std::string& name) const {
  if (name == "postgres") return state_dir_ / "postgres" / "postgres.log";
  return log_dir() / (name + ".log");
}

void StackScript::SetEnv(const std::string& name, std::string value) {
  for (auto& [key, current] : env_) {
    if (key == name) {
      current = std::move(value);
      return;
    }
  }
  env_.emplace_back(name, std::move(value));
}

ProgramRun StackScript::Run(std::vector<std::string> args, const ChildProcess::Env& extra_env,
                            std::chrono::milliseconds timeout) const {
  ChildProcess::Env env = env_;
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  const auto command = CommandLine(args);
  // One fresh file per call (RunProgram returns the whole file), appended to stack.log after.
  const auto call_log = state_dir_ / "stack-call.log";
  std::error_code ignored;
  std::filesystem::remove(call_log, ignored);
  auto run = RunProgram(kBash, BashArgs(std::move(args)), call_log, timeout, std::move(env));
  std::filesystem::remove(call_log, ignored);
  std::ofstream(state_dir_ / "stack.log", std::ios::app)
      << "$ " << command << "   # " << run.how << "\n" << run.output;
  return run;
}

std::string StackScript::RunOrThrow(std::vector<std::string> args,
                                    const ChildProcess::Env& extra_env) const {
  const auto command = CommandLine(args);
  auto run = Run(std::move(args), extra_env);
  if (run.exit_code != 0) {
    throw std::runtime_error(command + " " + run.how + " (state in " + state_dir_.string() +
                             "):\n" + run.output);
  }
  return std::move(run.output);
}

bool StackScript::Stop(const std::vector<std::string>& names) const noexcept {
  try {
    std::vector<std::string> args{"stop"};
    args.insert(args.end(), names.begin(), names.end());
    const auto run = Run(std::move(args));
    // stack.sh says so when a process needed SIGKILL after HOTORDER_STOP_TIMEOUT.
    return run.exit_code == 0 && run.output.find("sending SIGKILL") == std::string::npos;
  } catch (const std::exception&) {
    return false;
  }
}

std::optional<pid_t> StackScript::Pid(const std::string& name) const {
  const auto run = Run({"pid", name}, {}, std::chrono::seconds(30));
  if (run.exit_code != 0) return std::nullopt;
  std::istringstream lines(run.output);
  long pid = 0;
  if (!(lines >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

}  // namespace hotorder::test
