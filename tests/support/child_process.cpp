#include "support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace hotorder::test {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

// Waits until `pid` can be reaped or `timeout` passes, without reaping it. A pidfd becomes
// readable when the process exits (Linux >= 5.3); where that is missing, poll waitid briefly.
bool WaitForExit(pid_t pid, std::chrono::milliseconds timeout) noexcept {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd entry{pidfd, POLLIN, 0};
    int rc;
    do {
      rc = ::poll(&entry, 1, static_cast<int>(timeout.count()));
    } while (rc < 0 && errno == EINTR);
    ::close(pidfd);
    return rc > 0;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // Polling with a deadline: a child's exit has no waitable handle short of SIGCHLD, which a
    // test library must not take over from the test process.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

ChildProcess::ChildProcess(std::filesystem::path program, std::vector<std::string> args,
                           Env extra_env, std::filesystem::path log_path)
    : log_path_(std::move(log_path)) {
  // Everything the child needs is built before fork: between fork and execve a multithreaded
  // parent's child may only call async-signal-safe functions (no allocation, no locks).
  std::vector<std::string> argv_storage;
  argv_storage.push_back(program.string());
  for (auto& arg : args) argv_storage.push_back(std::move(arg));
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::map<std::string, std::string> env_map;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env_map[std::string(text.substr(0, eq))] = std::string(text.substr(eq + 1));
  }
  for (auto& [name, value] : extra_env) env_map[name] = value;
  std::vector<std::string> env_storage;
  for (const auto& [name, value] : env_map) env_storage.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const int log_fd =
      ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    throw std::runtime_error("cannot open log file " + log_path_.string() + ": " +
                             ErrnoText(errno));
  }
  // execve closes the write end on success; on failure the child writes its errno into it.
  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
    const int error = errno;
    ::close(log_fd);
    throw std::runtime_error("pipe2 failed: " + ErrnoText(error));
  }
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(log_fd);
    ::close(status_pipe[0]);
    ::close(status_pipe[1]);
    throw std::runtime_error("fork failed: " + ErrnoText(error));
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The parent may have died between fork and prctl; then nobody would kill us.
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    const int error = errno;
    [[maybe_unused]] auto written = ::write(status_pipe[1], &error, sizeof error);
    ::_exit(127);
  }

  ::close(log_fd);
  ::close(status_pipe[1]);
  pid_ = pid;
  int exec_error = 0;
  ssize_t got;
  do {
    got = ::read(status_pipe[0], &exec_error, sizeof exec_error);
  } while (got < 0 && errno == EINTR);
  ::close(status_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof exec_error)) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    throw std::runtime_error("cannot execute " + program.string() + ": " +
                             ErrnoText(exec_error));
  }
}

ChildProcess::~ChildProcess() { Stop(); }

bool ChildProcess::TryReap() noexcept {
  if (pid_ < 0 || wait_status_) return true;
  int status = 0;
  pid_t rc;
  do {
    rc = ::waitpid(pid_, &status, WNOHANG);
  } while (rc < 0 && errno == EINTR);
  if (rc == pid_) {
    wait_status_ = status;
    return true;
  }
  // ECHILD: someone else reaped it; nothing is left to wait for.
  if (rc < 0) {
    wait_status_ = 0;
    return true;
  }
  return false;
}

bool ChildProcess::IsRunning() noexcept { return !TryReap(); }

std::string ChildProcess::ExitDescription() const {
  if (!wait_status_) return "running";
  const int status = *wait_status_;
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended (wait status " + std::to_string(status) + ")";
}

bool ChildProcess::Stop(std::chrono::milliseconds grace) noexcept {
  if (TryReap()) return true;
  ::kill(pid_, SIGTERM);
  const bool ended_in_time = WaitForExit(pid_, grace);
  if (!ended_in_time) ::kill(pid_, SIGKILL);
  int status = 0;
  pid_t rc;
  do {
    rc = ::waitpid(pid_, &status, 0);
  } while (rc < 0 && errno == EINTR);
  wait_status_ = rc == pid_ ? status : 0;
  return ended_in_time;
}

ProgramRun RunProgram(const std::filesystem::path& program, std::vector<std::string> args,
                      const std::filesystem::path& log, std::chrono::milliseconds timeout,
                      ChildProcess::Env extra_env) {
  ProgramRun run;
  // The log may hold earlier runs' output (tests share one): this run's starts where it ends now.
  std::error_code no_log;
  const auto log_start = std::filesystem::file_size(log, no_log);
  ChildProcess child(program, std::move(args), std::move(extra_env), log);
  // Polled: nothing announces a child's exit to this thread (SIGCHLD belongs to the process).
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (child.IsRunning() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (child.IsRunning()) {
    child.Stop();
    run.how = "still running after " + std::to_string(timeout.count()) + " ms";
  } else {
    run.how = child.ExitDescription();
    std::sscanf(run.how.c_str(), "exited with status %d", &run.exit_code);
  }
  std::ifstream file(log);
  if (!no_log) file.seekg(static_cast<std::streamoff>(log_start));
  run.output.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return run;
}

std::string TailOfFile(const std::filesystem::path& path, std::size_t max_lines) {
  std::ifstream in(path);
  if (!in) return "";
  std::deque<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(std::move(line));
    if (lines.size() > max_lines) lines.pop_front();
  }
  std::string out;
  for (const auto& kept : lines) {
    out += kept;
    out += '\n';
  }
  return out;
}

}  // namespace hotorder::test
