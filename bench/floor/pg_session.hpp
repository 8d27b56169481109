#pragma once
// One libpq connection with its prepared statements, owned by one thread. Autocommit: each
// statement the floor runs is its own transaction, so each is exactly one commit (one WAL
// flush when it wrote anything), as HotOrder commits each of its transactions.

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotorder::floor_chain {

struct PreparedStatement {
  const char* name;
  const char* text;
  int parameter_count;
};

// A statement's result; empty (ok() false) when it failed, the reason already on stderr.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}
  bool ok() const;
  int Rows() const { return result_ ? PQntuples(result_.get()) : 0; }
  std::string_view Value(int row, int column) const {
    return PQgetvalue(result_.get(), row, column);
  }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

class PgSession {
 public:
  PgSession(std::string url, std::vector<PreparedStatement> statements)
      : url_(std::move(url)), statements_(std::move(statements)) {}
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  // Runs a prepared statement with text parameters. Connects (and prepares) first when there is
  // no healthy connection, so a Postgres restart costs the requests in flight, not the process.
  PgResult Execute(const char* name, const std::vector<const char*>& parameters);

 private:
  bool Connect();

  std::string url_;
  std::vector<PreparedStatement> statements_;
  PGconn* connection_ = nullptr;
};

}  // namespace hotorder::floor_chain
