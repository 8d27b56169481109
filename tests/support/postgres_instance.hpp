#pragma once
// A private PostgreSQL cluster for integration tests: a fresh stack state directory, a free
// loopback port, started and seeded through `scripts/stack.sh start postgres` (the same script
// and scripts/postgres.sh that native runs use, so the tests exercise them too), stopped and
// removed at destruction.
//
// Durability is traded for speed (fsync=off, synchronous_commit=off): nothing a test checks
// depends on surviving a power cut. A test process that dies without running destructors leaves
// its cluster behind; the next stack the test support creates on this machine stops and removes
// such orphans (see support/stack_script.hpp).
//
// Start-up takes a second or two (initdb), so most tests share one instance per process
// (Shared()); a test that stops the server or needs its own seed size makes its own.

#include <cstdint>
#include <filesystem>
#include <string>

#include "support/stack_script.hpp"

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

  // `stack.sh seed` with another seed size (STOCK_ROWS): migrations, then the seed.
  void Migrate(int stock_rows) const;

  // For reconnect tests: the same directory and port. Stop is idempotent; Start waits until
  // the server accepts connections (and applies the seed of the last Migrate again, which
  // changes nothing) and throws when it cannot be started.
  void Stop();
  void Start();

 private:
  StackScript stack_;
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  std::string url_;
  mutable int stock_rows_;  // what Start seeds: the last Migrate's size
};

}  // namespace hotorder::test
