#include "db/db_error.hpp"

#include <pqxx/except>

namespace hotorder::db {
namespace {

constexpr const char* kStatementTimeout = "57014";  // query_canceled: statement_timeout fired

// Class 08 (connection exception) and 57P01..57P03 (admin/crash shutdown, cannot connect now):
// the server is going away or not there yet; a later retry may succeed.
bool MeansUnavailable(const std::string& sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03" || sqlstate == "53300";
}

}  // namespace

std::string SqlState(const std::exception& error) noexcept {
  try {
    if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) return sql->sqlstate();
    if (const auto* db = dynamic_cast<const DatabaseError*>(&error)) return db->sqlstate();
  } catch (...) {
  }
  return {};
}

std::string ErrorType(const std::exception& error) noexcept {
  try {
    if (auto state = SqlState(error); !state.empty()) return state;
    // Most specific first: too_many_connections is a broken_connection, in_doubt_error is not.
    if (dynamic_cast<const pqxx::too_many_connections*>(&error)) return "too_many_connections";
    if (dynamic_cast<const pqxx::broken_connection*>(&error)) return "broken_connection";
    if (dynamic_cast<const pqxx::in_doubt_error*>(&error)) return "in_doubt_error";
    if (dynamic_cast<const pqxx::usage_error*>(&error)) return "usage_error";
    if (dynamic_cast<const pqxx::conversion_error*>(&error)) return "conversion_error";
    if (dynamic_cast<const pqxx::unexpected_rows*>(&error)) return "unexpected_rows";
    if (dynamic_cast<const pqxx::range_error*>(&error)) return "range_error";
    if (const auto* http = dynamic_cast<const http::HttpError*>(&error)) return http->code();
    return "_OTHER";
  } catch (...) {
    return "_OTHER";
  }
}

std::exception_ptr MapSqlError(const std::exception& error) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
  if (sql == nullptr) return nullptr;
  const std::string& state = sql->sqlstate();
  if (state == kStatementTimeout) {
    return std::make_exception_ptr(DatabaseError(
        kTimeoutCode, "the database did not answer in time", sql->what(), state));
  }
  if (MeansUnavailable(state)) {
    return std::make_exception_ptr(
        DatabaseError(kUnavailableCode, "the database is unavailable", sql->what(), state));
  }
  return nullptr;
}

DatabaseError UnavailableError(const std::string& message, const std::string& detail) {
  return DatabaseError(kUnavailableCode, message, detail);
}

}  // namespace hotorder::db
