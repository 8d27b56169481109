#pragma once
// A private PostgreSQL cluster for integration tests: a fresh temp directory, a free loopback
// port, started and seeded through scripts/postgres.sh (the same script native runs use, so the
// tests exercise it too), stopped and removed at destruction.
//
// Durability is traded for speed (fsync=off, synchronous_commit=off): nothing a test checks
// depends on surviving a power cut. A test process that dies without running destructors leaves
// its cluster behind; the next PostgresInstance created on this machine stops and removes such
// orphans (their owner pid is recorded next to the data).
//
// Start-up takes a second or two (initdb), so most tests share one instance per process
// (Shared()); a test that stops the server or needs its own seed size makes its own.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace hotorder::test {

class PostgresInstance {
 public:
  // Throws std::runtime_error (with the script's output) when the cluster cannot be started.
  explicit PostgresInstance(int stock_rows = 1000);
  ~PostgresInstance();  // stop + remove
  PostgresInstance(const PostgresInstance&) = delete;
  PostgresInstance& operator=(const PostgresInstance&) = delete;

  // One per test process, created on first use, stopped and removed at exit.
  static PostgresInstance& Shared();

  // postgresql://hotorder@127.0.0.1:PORT/hotorder
  const std::string& url() const noexcept { return url_; }
  std::uint16_t port() const noexcept { return port_; }
  const std::filesystem::path& data_dir() const noexcept { return dir_; }

  // First column of the first row as text ("" when there is no row or it is NULL). Each call
  // opens its own connection, so it works whatever state a pool under test is in.
  std::string QueryValue(const std::string& sql) const;
  // Runs one or more statements outside a transaction block (each commits on its own).
  void Exec(const std::string& sql) const;

  // scripts/postgres.sh migrate with another seed size (STOCK_ROWS).
  void Migrate(int stock_rows) const;

  // For reconnect tests: the same directory and port. Stop is idempotent; Start waits until
  // the server accepts connections and throws when it cannot be started.
  void Stop();
  void Start();

 private:
  // Runs scripts/postgres.sh with `args`; throws with the output when it exits non-zero.
  void RunScript(const std::string& what, const std::vector<std::string>& args) const;

  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  std::string url_;
};

}  // namespace hotorder::test
