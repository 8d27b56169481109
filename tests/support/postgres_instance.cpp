#include "support/postgres_instance.hpp"

#include <stdexcept>
#include <string>

#include <pqxx/pqxx>

#include "support/free_port.hpp"

namespace hotorder::test {
namespace {

// A free port can be taken by someone else between choosing and binding it: try a few.
constexpr int kStartAttempts = 3;

}  // namespace

PostgresInstance::PostgresInstance(int stock_rows)
    : stack_(ChildProcess::Env{{"POSTGRES_EXTRA_OPTS", "-c fsync=off -c synchronous_commit=off"}}),
      dir_(stack_.state_dir() / "postgres"),
      stock_rows_(stock_rows) {
  // A failure throws out of here: the stack's destructor stops whatever started.
  for (int attempt = 1;; ++attempt) {
    port_ = FreeLoopbackPort();
    url_ = "postgresql://hotorder@127.0.0.1:" + std::to_string(port_) + "/hotorder";
    stack_.SetEnv("POSTGRES_PORT", std::to_string(port_));
    try {
      Start();
      return;
    } catch (const std::runtime_error&) {
      if (attempt == kStartAttempts) throw;
    }
  }
}

// The stack's destructor stops the server (`stack.sh down`) and removes the directory; a server
// that could not be stopped is found as an orphan by the next test run.
PostgresInstance::~PostgresInstance() = default;

PostgresInstance& PostgresInstance::Shared() {
  // A function-local static: created on first use (a throw leaves it uncreated, so the next
  // test tries again and reports the reason too), destroyed by exit().
  static PostgresInstance instance;
  return instance;
}

void PostgresInstance::Start() {
  stack_.RunOrThrow({"start", "postgres"}, {{"STOCK_ROWS", std::to_string(stock_rows_)}});
}

void PostgresInstance::Stop() { stack_.RunOrThrow({"stop", "postgres"}); }

void PostgresInstance::Migrate(int stock_rows) const {
  stack_.RunOrThrow({"seed"}, {{"STOCK_ROWS", std::to_string(stock_rows)}});
  stock_rows_ = stock_rows;
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
