#pragma once
// A bounded pool of libpqxx connections. A pqxx connection is used by one thread at a time, so
// a caller (a handler, on its connection's thread) borrows one for the length of a
// unit of work. Connections are opened lazily, prepared once each (the `prepare` callback), and
// replaced after they break, so the service recovers by itself after Postgres restarts.
//
// Failures are HttpErrors the router understands: no connection within acquire_timeout or
// Postgres unreachable → 503 "database_unavailable"; a statement over statement_timeout → 503
// "database_timeout". Other pqxx errors propagate unchanged (500 unless the caller maps them).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <pqxx/pqxx>

#include "config/env.hpp"

namespace hotorder::db {

struct PoolOptions {
  // A libpq URI (postgresql://user@host:port/db?...) or keyword/value string (host=... port=...).
  std::string url = "postgresql://hotorder@127.0.0.1:55432/hotorder";
  std::size_t size = 8;  // connections at most; 0 is taken as 1
  std::chrono::milliseconds acquire_timeout{2'000};
  // libpq counts whole seconds and waits at least 2 s; the value is rounded up to seconds.
  std::chrono::milliseconds connect_timeout{2'000};
  // SET statement_timeout on each connection; 0 disables it (Postgres' meaning).
  std::chrono::milliseconds statement_timeout{2'000};
};

// DATABASE_URL, DB_POOL_SIZE, DB_ACQUIRE_TIMEOUT_MS, DB_CONNECT_TIMEOUT_MS,
// DB_STATEMENT_TIMEOUT_MS. Bad values are warnings on `env` and the defaults above.
PoolOptions PoolOptionsFromEnv(const config::EnvReader& env);

// Runs once on every new connection: prepared statements are declared here.
using Preparer = std::function<void(pqxx::connection&)>;

class PgPool {
 public:
  // Opens nothing: the first Run connects. A null `prepare` is allowed.
  PgPool(PoolOptions options, Preparer prepare);
  // Closes idle connections. Every Run must have returned (the pool must outlive its users).
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // Borrows a connection, runs `work(connection)`, and returns it. When the connection turns out
  // to be broken before `work` could commit anything (pqxx::broken_connection), it is discarded
  // and `work` runs once more on a fresh one; pqxx::in_doubt_error is never retried.
  //
  // So `work` may run twice: keep it to one transaction (a broken connection aborts an open
  // transaction, so nothing of the first attempt survives), or make it idempotent.
  template <class Work>
  auto Run(Work&& work) -> decltype(work(std::declval<pqxx::connection&>()));

  // SELECT 1 on a pooled connection within acquire_timeout; for /readyz. Never throws.
  bool Ping() noexcept;

  const PoolOptions& options() const noexcept { return options_; }
  // Facts for db.* span attributes, read from the URL: database name, host, port.
  const std::string& database() const noexcept { return database_; }
  const std::string& host() const noexcept { return host_; }
  int port() const noexcept { return port_; }

  // Connections currently open (idle or lent out), for tests and diagnostics.
  std::size_t OpenConnections() const noexcept;

 private:
  // The non-template part of Run: acquire, run, map errors, retry once, return or discard.
  void RunErased(const std::function<void(pqxx::connection&)>& work);

  PoolOptions options_;
  std::string database_;
  std::string host_;
  int port_ = 0;
  struct State;  // pg_pool.cpp: the connections, their lock and condition variable
  std::unique_ptr<State> state_;
};

template <class Work>
auto PgPool::Run(Work&& work) -> decltype(work(std::declval<pqxx::connection&>())) {
  using Result = decltype(work(std::declval<pqxx::connection&>()));
  if constexpr (std::is_void_v<Result>) {
    RunErased([&work](pqxx::connection& connection) { work(connection); });
  } else if constexpr (std::is_reference_v<Result>) {
    std::remove_reference_t<Result>* result = nullptr;
    RunErased([&](pqxx::connection& connection) { result = &work(connection); });
    return static_cast<Result>(*result);
  } else {
    std::optional<Result> result;
    RunErased([&](pqxx::connection& connection) { result.emplace(work(connection)); });
    return std::move(*result);
  }
}

}  // namespace hotorder::db
