#include "support/postgres_instance.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/tracing_backend.hpp"

extern char** environ;

namespace hotorder::test {
namespace {

constexpr std::string_view kDirPrefix = "hotorder-pg-";
constexpr const char* kOwnerFile = "owner.pid";
constexpr const char* kScriptLog = "script.log";
// A free port can be taken by someone else between choosing and binding it: try a few.
constexpr int kStartAttempts = 3;
constexpr const char* kExtraOpts = "-c fsync=off -c synchronous_commit=off";

std::filesystem::path TempBase() {
  const char* base = std::getenv("TMPDIR");
  return base != nullptr && *base != '\0' ? base : "/tmp";
}

std::filesystem::path Script() { return RepoRoot() / "scripts" / "postgres.sh"; }

// Runs `program args...` with `extra_env`, output appended to `log`; returns the wait status.
// posix_spawn rather than system(): no shell re-parses the temp paths.
int RunAndWait(const std::filesystem::path& program, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& extra_env,
               const std::filesystem::path& log) {
  std::vector<std::string> argv_storage{program.string()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto eq = text.find('=');
    if (eq != std::string_view::npos) {
      env[std::string(text.substr(0, eq))] = std::string(text.substr(eq + 1));
    }
  }
  for (const auto& [name, value] : extra_env) env[name] = value;
  std::vector<std::string> env_storage;
  for (const auto& [name, value] : env) env_storage.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "spawn " + program.string());

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  return status;
}

bool Succeeded(int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

// Clusters of test processes that died without their destructors (a crash, a CI timeout) would
// otherwise keep running; their directories name the owner pid, which is gone by now.
void RemoveOrphans() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(TempBase(), ec)) {
    const auto name = entry.path().filename().string();
    if (!name.starts_with(kDirPrefix)) continue;
    std::ifstream owner(entry.path() / kOwnerFile);
    pid_t pid = 0;
    if (!(owner >> pid) || pid <= 0) continue;  // still being created, or not ours
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
    RunAndWait(Script(), {"stop", entry.path().string()}, {}, "/dev/null");
    std::filesystem::remove_all(entry.path(), ec);
  }
}

std::filesystem::path MakeDir() {
  std::string pattern = (TempBase() / (std::string(kDirPrefix) + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  std::ofstream(std::filesystem::path(pattern) / kOwnerFile) << ::getpid() << '\n';
  return pattern;
}

}  // namespace

PostgresInstance::PostgresInstance(int stock_rows) {
  RemoveOrphans();
  dir_ = MakeDir();
  try {
    for (int attempt = 1;; ++attempt) {
      port_ = FreeLoopbackPort();
      url_ = "postgresql://hotorder@127.0.0.1:" + std::to_string(port_) + "/hotorder";
      try {
        Start();
        break;
      } catch (const std::runtime_error&) {
        if (attempt == kStartAttempts) throw;
      }
    }
    Migrate(stock_rows);
  } catch (...) {
    Stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

PostgresInstance::~PostgresInstance() {
  try {
    Stop();
  } catch (...) {
    // Removing the directory below still frees the disk; a server that could not be stopped
    // is found as an orphan by the next instance.
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

PostgresInstance& PostgresInstance::Shared() {
  // A function-local static: created on first use (a throw leaves it uncreated, so the next
  // test tries again and reports the reason too), destroyed by exit().
  static PostgresInstance instance;
  return instance;
}

void PostgresInstance::RunScript(const std::string& what,
                                 const std::vector<std::string>& args) const {
  const auto log = dir_ / kScriptLog;
  const int status = RunAndWait(Script(), args, {{"POSTGRES_EXTRA_OPTS", kExtraOpts}}, log);
  if (!Succeeded(status)) {
    throw std::runtime_error("scripts/postgres.sh " + what + " failed (port " +
                             std::to_string(port_) + "):\n" + TailOfFile(log, 40));
  }
}

void PostgresInstance::Start() {
  RunScript("start", {"start", dir_.string(), std::to_string(port_)});
}

void PostgresInstance::Stop() { RunScript("stop", {"stop", dir_.string()}); }

void PostgresInstance::Migrate(int stock_rows) const {
  RunScript("migrate",
            {"migrate", dir_.string(), std::to_string(port_), std::to_string(stock_rows)});
}

std::string PostgresInstance::QueryValue(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction transaction(connection);
  const pqxx::result result = transaction.exec(sql);
  if (result.empty() || result.columns() == 0 || result[0][0].is_null()) return "";
  return result[0][0].c_str();
}

void PostgresInstance::Exec(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction transaction(connection);
  transaction.exec(sql);
}

}  // namespace hotorder::test
