#include "db/pg_pool.hpp"

#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

#include "db/connection_url.hpp"
#include "db/db_error.hpp"

namespace hotorder::db {

namespace {

using Connection = std::unique_ptr<pqxx::connection>;

// Closing a connection sends a Terminate message and may block for a moment: never under the
// pool's lock.
void Close(std::vector<Connection>& connections) noexcept { connections.clear(); }

}  // namespace

struct PgPool::State {
  State(const PoolOptions& pool_options, Preparer preparer)
      : options(pool_options),
        connection_string(WithConnectTimeout(options.url, options.connect_timeout)),
        prepare(std::move(preparer)) {}

  // One borrowed connection: goes back to the idle list when it is still open, otherwise its
  // slot is freed so the next Acquire opens a replacement.
  class Lease {
   public:
    Lease(State& state, Connection connection) noexcept
        : state_(state), connection_(std::move(connection)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { state_.Return(std::move(connection_), !discard_); }

    pqxx::connection& operator*() const noexcept { return *connection_; }
    // For a connection that must not be lent out again even if libpq still calls it open.
    void Discard() noexcept { discard_ = true; }

   private:
    State& state_;
    Connection connection_;
    bool discard_ = false;
  };

  // Lends an idle connection or opens a new one, waiting up to acquire_timeout for either. With
  // `fresh`, an idle connection is never lent: after a broken one the others were opened before
  // the break too, so a retry gets a newly opened connection (closing an idle one for its slot).
  Connection Acquire(bool fresh);
  void Return(Connection connection, bool reusable) noexcept;
  // After a broken connection the idle ones are suspect too (a restarted server broke them
  // all): close them now rather than let each fail one request.
  void DiscardIdle() noexcept;

  const PoolOptions& options;
  const std::string connection_string;
  const Preparer prepare;

  std::mutex mutex;
  std::condition_variable changed;  // a connection came back, or a slot was freed
  // Most recently returned last: Acquire takes from the back, so the warmest connection is
  // reused and surplus ones idle at the front.
  std::vector<Connection> idle;
  std::size_t open = 0;  // idle + lent out + being opened; never above options.size

 private:
  Connection Connect();
};

PgPool::PgPool(PoolOptions options, Preparer prepare) : options_(std::move(options)) {
  if (options_.size == 0) options_.size = 1;
  const ConnectionFacts facts = ParseConnectionFacts(options_.url);
  database_ = facts.database;
  host_ = facts.host;
  port_ = facts.port;
  state_ = std::make_unique<State>(options_, std::move(prepare));
}

PgPool::~PgPool() {
  std::vector<Connection> idle;
  {
    std::lock_guard lock(state_->mutex);
    idle.swap(state_->idle);
  }
  Close(idle);
}

std::size_t PgPool::OpenConnections() const noexcept {
  std::lock_guard lock(state_->mutex);
  return state_->open;
}

Connection PgPool::State::Connect() {
  Connection connection;
  try {
    connection = std::make_unique<pqxx::connection>(connection_string);
    // set_variable (not a plain SET) so pqxx restores it if it ever re-opens this connection.
    connection->set_variable("statement_timeout",
                             std::to_string(options.statement_timeout.count()));
    // Every statement the services prepare is a short OLTP statement whose generic plan
    // (index scans by key) is the right one. Left to choose, Postgres keeps re-planning the
    // statements that take arrays (unnest($2) is estimated at 10 rows generically, 1 with the
    // values at hand, so the custom plan always looks cheaper). On the benchmark VM the
    // planner's functions topped Postgres's profile, and forcing generic plans took saturation
    // from 1,124 to 1,508 orders/s (bench/results.md).
    connection->set_variable("plan_cache_mode", "force_generic_plan");
  } catch (const pqxx::broken_connection& error) {
    throw UnavailableError("the database is unavailable", error.what());
  } catch (const pqxx::sql_error& error) {
    if (auto mapped = MapSqlError(error)) std::rethrow_exception(mapped);
    throw;
  }
  if (prepare) prepare(*connection);
  return connection;
}

Connection PgPool::State::Acquire(bool fresh) {
  std::vector<Connection> to_close;
  {
    std::unique_lock lock(mutex);
    const auto deadline = std::chrono::steady_clock::now() + options.acquire_timeout;
    const bool available =
        changed.wait_until(lock, deadline, [&] { return !idle.empty() || open < options.size; });
    if (!available) {
      throw UnavailableError("no database connection is free",
                             "all " + std::to_string(options.size) +
                                 " pooled connections stayed busy for " +
                                 std::to_string(options.acquire_timeout.count()) + " ms");
    }
    if (!fresh && !idle.empty()) {
      Connection connection = std::move(idle.back());
      idle.pop_back();
      return connection;
    }
    if (open < options.size) {
      ++open;  // the slot is ours while we connect outside the lock
    } else {
      to_close.push_back(std::move(idle.back()));  // its slot becomes ours
      idle.pop_back();
    }
  }
  Close(to_close);
  try {
    return Connect();
  } catch (...) {
    Return(nullptr, false);
    throw;
  }
}

void PgPool::State::Return(Connection connection, bool reusable) noexcept {
  reusable = reusable && connection != nullptr && connection->is_open();
  {
    std::lock_guard lock(mutex);
    if (reusable) {
      idle.push_back(std::move(connection));
    } else {
      --open;
    }
  }
  changed.notify_one();
  connection.reset();  // closes a discarded one, outside the lock
}

void PgPool::State::DiscardIdle() noexcept {
  std::vector<Connection> stale;
  {
    std::lock_guard lock(mutex);
    stale.swap(idle);
    open -= stale.size();
  }
  changed.notify_all();
  Close(stale);
}

void PgPool::RunErased(const std::function<void(pqxx::connection&)>& work) {
  for (int attempt = 1;; ++attempt) {
    State::Lease lease(*state_, state_->Acquire(attempt > 1));
    try {
      work(*lease);
      return;
    } catch (const pqxx::broken_connection& error) {
      lease.Discard();
      state_->DiscardIdle();
      // A broken connection aborts the open transaction on the server, so the first attempt
      // left nothing behind and running `work` again is safe (in_doubt_error is not a
      // broken_connection and never gets here).
      if (attempt == 1) continue;
      throw UnavailableError("the database is unavailable", error.what());
    } catch (const pqxx::sql_error& error) {
      if (auto mapped = MapSqlError(error)) std::rethrow_exception(mapped);
      throw;
    }
  }
}

bool PgPool::Ping() noexcept {
  try {
    Run([](pqxx::connection& connection) {
      pqxx::nontransaction transaction(connection);
      transaction.exec("SELECT 1");
    });
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace hotorder::db
