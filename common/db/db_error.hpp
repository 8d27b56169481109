#pragma once
// How database failures leave the db library. The pool turns the failures a client can do
// nothing about but retry later into DatabaseError, an HttpError with status 503, so the router
// answers them without knowing about pqxx:
//   "database_unavailable"  no connection (refused, timed out, server shutting down, pool empty)
//   "database_timeout"      a statement ran into statement_timeout (SQLSTATE 57014)
// Its message is safe to show a client (no SQL, no values); detail() keeps libpq's own text for
// logs and spans.

#include <exception>
#include <string>

#include "http/http_error.hpp"

namespace hotorder::db {

inline constexpr unsigned kUnavailableStatus = 503;
inline constexpr const char* kUnavailableCode = "database_unavailable";
inline constexpr const char* kTimeoutCode = "database_timeout";

class DatabaseError : public http::HttpError {
 public:
  DatabaseError(std::string code, const std::string& message, std::string detail,
                std::string sqlstate = {})
      : http::HttpError(kUnavailableStatus, std::move(code), message),
        detail_(std::move(detail)),
        sqlstate_(std::move(sqlstate)) {}

  // libpq's or pqxx's own message (for logs and spans, never for a client).
  const std::string& detail() const noexcept { return detail_; }
  // The server's SQLSTATE ("57014"), empty when the failure had none (a lost connection).
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string detail_;
  std::string sqlstate_;
};

// The SQLSTATE an exception carries (pqxx::sql_error or DatabaseError), or "".
std::string SqlState(const std::exception& error) noexcept;

// A short, low-cardinality name for the kind of failure, for the error.type span attribute:
// the SQLSTATE when there is one, else the pqxx class ("broken_connection", "in_doubt_error"),
// else the HttpError code, else "_OTHER" (the semantic conventions' fallback).
std::string ErrorType(const std::exception& error) noexcept;

// The DatabaseError a pqxx failure of `work` maps to, or nullptr when it is not one the pool
// maps (the original exception then propagates). broken_connection is handled by the pool
// itself (it retries once), so this is about SQLSTATEs.
std::exception_ptr MapSqlError(const std::exception& error);

// The DatabaseError for "could not open a connection", keeping libpq's reason as detail.
DatabaseError UnavailableError(const std::string& message, const std::string& detail);

}  // namespace hotorder::db
