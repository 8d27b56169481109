#include "db/pg_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "db/db_error.hpp"
#include "http/http_error.hpp"
#include "support/free_port.hpp"
#include "support/postgres_instance.hpp"

namespace hotorder::db {
namespace {

using namespace std::chrono_literals;
using test::PostgresInstance;

PoolOptions Options(const std::string& url, std::size_t size = 2) {
  return PoolOptions{.url = url,
                     .size = size,
                     .acquire_timeout = 5'000ms,
                     .connect_timeout = 2'000ms,
                     .statement_timeout = 5'000ms};
}

int BackendPid(pqxx::connection& connection) {
  pqxx::nontransaction transaction(connection);
  return transaction.exec1("SELECT pg_backend_pid()")[0].as<int>();
}

// Expects `run` to throw an HttpError with status 503 and `code`.
template <class Run>
void ExpectUnavailable(Run&& run, const std::string& code) {
  try {
    run();
    ADD_FAILURE() << "expected a 503 " << code;
  } catch (const http::HttpError& error) {
    EXPECT_EQ(error.status(), 503u);
    EXPECT_EQ(error.code(), code) << error.what();
  }
}

// Holds one pooled connection on a thread until Release: lets a test fill the pool.
class Holder {
 public:
  explicit Holder(PgPool& pool) {
    std::promise<int> acquired;
    auto acquired_future = acquired.get_future();
    done_ = std::async(std::launch::async, [&pool, &acquired, this] {
      bool told = false;
      try {
        pool.Run([&](pqxx::connection& connection) {
          const int pid = BackendPid(connection);
          told = true;
          acquired.set_value(pid);
          release_future_.wait();
        });
      } catch (...) {
        if (!told) acquired.set_exception(std::current_exception());  // else: unblock nobody
        throw;
      }
    });
    pid_ = acquired_future.get();
  }
  ~Holder() { Release(); }
  void Release() {
    if (released_) return;
    released_ = true;
    release_.set_value();
    done_.get();
  }
  int pid() const { return pid_; }

 private:
  std::promise<void> release_;
  std::shared_future<void> release_future_ = release_.get_future().share();
  std::future<void> done_;
  bool released_ = false;
  int pid_ = 0;
};

TEST(PgPool, RunsStatementsAndReturnsTheirResults) {
  PgPool pool(Options(PostgresInstance::Shared().url()), nullptr);
  EXPECT_EQ(pool.OpenConnections(), 0u);  // lazy: nothing opened before the first Run

  const auto count = pool.Run([](pqxx::connection& connection) {
    pqxx::work transaction(connection);
    return transaction.exec1("SELECT count(*) FROM stock")[0].as<long>();
  });
  EXPECT_EQ(count, 1000);

  std::string name;
  pool.Run([&](pqxx::connection& connection) {
    pqxx::work transaction(connection);
    name = transaction.exec1("SELECT name FROM stock WHERE sku = 'SKU-042'")[0].c_str();
  });
  EXPECT_EQ(name, "Item 42");
  EXPECT_EQ(pool.OpenConnections(), 1u);
}

TEST(PgPool, ReusesAReturnedConnection) {
  PgPool pool(Options(PostgresInstance::Shared().url()), nullptr);
  const int first = pool.Run(BackendPid);
  const int second = pool.Run(BackendPid);
  EXPECT_EQ(first, second);
  EXPECT_EQ(pool.OpenConnections(), 1u);
}

TEST(PgPool, SetsStatementTimeoutOnEachConnection) {
  auto options = Options(PostgresInstance::Shared().url());
  options.statement_timeout = 1'234ms;
  PgPool pool(options, nullptr);
  const auto value = pool.Run([](pqxx::connection& connection) {
    pqxx::nontransaction transaction(connection);
    return std::string(transaction.exec1("SHOW statement_timeout")[0].c_str());
  });
  EXPECT_EQ(value, "1234ms");
}

TEST(PgPool, ThirdRunWaitsUntilAConnectionIsReturned) {
  PgPool pool(Options(PostgresInstance::Shared().url(), 2), nullptr);
  Holder first(pool);
  Holder second(pool);
  EXPECT_NE(first.pid(), second.pid());

  auto third = std::async(std::launch::async, [&pool] { return pool.Run(BackendPid); });
  // Asserting an absence needs some time to pass; 300 ms is far below acquire_timeout (5 s).
  EXPECT_EQ(third.wait_for(300ms), std::future_status::timeout);
  EXPECT_EQ(pool.OpenConnections(), 2u);

  first.Release();
  // The third Run got the connection the first one returned: no third connection was opened.
  EXPECT_EQ(third.get(), first.pid());
  EXPECT_EQ(pool.OpenConnections(), 2u);
}

TEST(PgPool, AcquireTimesOutWith503WhenEveryConnectionIsHeld) {
  auto options = Options(PostgresInstance::Shared().url(), 2);
  options.acquire_timeout = 200ms;
  PgPool pool(options, nullptr);
  Holder first(pool);
  Holder second(pool);

  const auto start = std::chrono::steady_clock::now();
  ExpectUnavailable([&] { pool.Run(BackendPid); }, "database_unavailable");
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 200ms);
  EXPECT_LT(waited, 3s);
  EXPECT_FALSE(pool.Ping());  // /readyz reports a pool that cannot lend a connection

  first.Release();
  EXPECT_TRUE(pool.Ping());
}

TEST(PgPool, StatementTimeoutIs503DatabaseTimeout) {
  auto options = Options(PostgresInstance::Shared().url());
  options.statement_timeout = 100ms;
  PgPool pool(options, nullptr);
  const int pid = pool.Run(BackendPid);

  const auto start = std::chrono::steady_clock::now();
  try {
    pool.Run([](pqxx::connection& connection) {
      pqxx::work transaction(connection);
      transaction.exec("SELECT pg_sleep(10)");
    });
    ADD_FAILURE() << "expected a statement timeout";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.status(), 503u);
    EXPECT_EQ(error.code(), "database_timeout");
    EXPECT_EQ(error.sqlstate(), "57014");
    // The client sees no database text; the detail keeps it for the span.
    EXPECT_EQ(std::string(error.what()).find("statement"), std::string::npos);
    EXPECT_NE(error.detail().find("statement timeout"), std::string::npos) << error.detail();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);

  // A timed-out statement leaves a healthy connection: it is kept and reused.
  EXPECT_EQ(pool.Run(BackendPid), pid);
  EXPECT_EQ(pool.OpenConnections(), 1u);
}

TEST(PgPool, UnreachableDatabaseIs503) {
  const auto port = test::FreeLoopbackPort();  // nothing listens there
  PgPool pool(Options("postgresql://hotorder@127.0.0.1:" + std::to_string(port) + "/hotorder"),
              nullptr);
  ExpectUnavailable([&] { pool.Run(BackendPid); }, "database_unavailable");
  // The failed attempt gave its slot back: the pool is not slowly filling with ghosts.
  EXPECT_EQ(pool.OpenConnections(), 0u);
  ExpectUnavailable([&] { pool.Run(BackendPid); }, "database_unavailable");
  ExpectUnavailable([&] { pool.Run(BackendPid); }, "database_unavailable");
  EXPECT_EQ(pool.OpenConnections(), 0u);
}

TEST(PgPool, PingIsTrueWhenTheDatabaseAnswersAndFalseWhenNot) {
  PgPool reachable(Options(PostgresInstance::Shared().url()), nullptr);
  EXPECT_TRUE(reachable.Ping());

  const auto port = test::FreeLoopbackPort();
  PgPool unreachable(
      Options("postgresql://hotorder@127.0.0.1:" + std::to_string(port) + "/hotorder"), nullptr);
  EXPECT_FALSE(unreachable.Ping());
}

TEST(PgPool, PreparedStatementsFromThePreparerAreUsable) {
  int prepared = 0;
  PgPool pool(Options(PostgresInstance::Shared().url()), [&](pqxx::connection& connection) {
    ++prepared;
    connection.prepare("stock_quantity", "SELECT quantity FROM stock WHERE sku = $1");
  });
  const auto quantity = [](pqxx::connection& connection) {
    pqxx::work transaction(connection);
    return transaction.exec_prepared1("stock_quantity", "SKU-001")[0].as<int>();
  };
  EXPECT_EQ(pool.Run(quantity), 50 + 7919 % 951);
  EXPECT_EQ(pool.Run(quantity), 50 + 7919 % 951);
  EXPECT_EQ(prepared, 1);  // once per connection, not per Run
}

TEST(PgPool, OtherSqlErrorsPropagateUnchangedAndKeepTheConnection) {
  PgPool pool(Options(PostgresInstance::Shared().url()), nullptr);
  const int pid = pool.Run(BackendPid);
  EXPECT_THROW(pool.Run([](pqxx::connection& connection) {
                 pqxx::work transaction(connection);
                 transaction.exec("SELECT no_such_column FROM stock");
               }),
               pqxx::undefined_column);
  EXPECT_THROW(pool.Run([](pqxx::connection& connection) {
                 pqxx::work transaction(connection);
                 transaction.exec("UPDATE stock SET reserved = quantity + 1 WHERE id = 1");
               }),
               pqxx::check_violation);
  EXPECT_EQ(pool.Run(BackendPid), pid);
}

TEST(PgPool, ExceptionsFromWorkPropagateAndReturnTheConnection) {
  PgPool pool(Options(PostgresInstance::Shared().url(), 1), nullptr);
  EXPECT_THROW(pool.Run([](pqxx::connection&) { throw http::HttpError(404, "unknown_sku", "x"); }),
               http::HttpError);
  EXPECT_EQ(pool.OpenConnections(), 1u);
  EXPECT_TRUE(pool.Ping());  // the only connection came back
}

TEST(PgPool, ConnectionKilledWhileIdleIsReplacedTransparently) {
  const auto& postgres = PostgresInstance::Shared();
  PgPool pool(Options(postgres.url()), nullptr);
  const int old_pid = pool.Run(BackendPid);
  postgres.Exec("SELECT pg_terminate_backend(" + std::to_string(old_pid) + ")");

  int attempts = 0;
  const int new_pid = pool.Run([&](pqxx::connection& connection) {
    ++attempts;
    return BackendPid(connection);
  });
  EXPECT_NE(new_pid, old_pid);
  EXPECT_LE(attempts, 2);
  EXPECT_EQ(pool.OpenConnections(), 1u);
}

TEST(PgPool, BrokenConnectionIsRetriedOnlyOnce) {
  PgPool pool(Options(PostgresInstance::Shared().url()), nullptr);
  std::atomic<int> attempts = 0;
  // Every attempt loses its connection: the pool tries twice, then gives up with a 503.
  ExpectUnavailable(
      [&] {
        pool.Run([&](pqxx::connection& connection) {
          ++attempts;
          pqxx::nontransaction transaction(connection);
          transaction.exec("SELECT pg_terminate_backend(pg_backend_pid())");
        });
      },
      "database_unavailable");
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(pool.OpenConnections(), 0u);
  EXPECT_TRUE(pool.Ping());
}

TEST(PgPool, RecoversAfterPostgresRestarts) {
  PostgresInstance postgres(10);
  auto options = Options(postgres.url());
  options.acquire_timeout = 500ms;
  PgPool pool(options, [](pqxx::connection& connection) {
    connection.prepare("count_stock", "SELECT count(*) FROM stock");
  });
  const auto count = [](pqxx::connection& connection) {
    pqxx::work transaction(connection);
    return transaction.exec_prepared1("count_stock")[0].as<int>();
  };
  // Two connections, both idle when the server goes away.
  {
    Holder a(pool);
    Holder b(pool);
  }
  ASSERT_EQ(pool.OpenConnections(), 2u);
  EXPECT_EQ(pool.Run(count), 10);

  postgres.Stop();
  ExpectUnavailable([&] { pool.Run(count); }, "database_unavailable");
  EXPECT_FALSE(pool.Ping());

  postgres.Start();
  EXPECT_EQ(pool.Run(count), 10);  // a fresh connection, prepared again
  EXPECT_TRUE(pool.Ping());
  EXPECT_LE(pool.OpenConnections(), 2u);
}

}  // namespace
}  // namespace hotorder::db
