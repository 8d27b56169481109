#include "db/db_error.hpp"

#include <gtest/gtest.h>

#include <pqxx/except>
#include <stdexcept>

namespace hotorder::db {
namespace {

DatabaseError Rethrown(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const DatabaseError& mapped) {
    return mapped;
  }
}

TEST(MapSqlError, StatementTimeoutBecomes503DatabaseTimeout) {
  const pqxx::sql_error error("ERROR:  canceling statement due to statement timeout",
                              "SELECT pg_sleep(9)", "57014");
  const auto mapped_ptr = MapSqlError(error);
  ASSERT_NE(mapped_ptr, nullptr);
  const DatabaseError mapped = Rethrown(mapped_ptr);
  EXPECT_EQ(mapped.status(), 503u);
  EXPECT_EQ(mapped.code(), "database_timeout");
  EXPECT_EQ(mapped.sqlstate(), "57014");
  EXPECT_EQ(mapped.detail(), error.what());
  // Neither the query nor the server's text reaches a client.
  EXPECT_EQ(std::string(mapped.what()).find("pg_sleep"), std::string::npos);
  EXPECT_EQ(std::string(mapped.what()).find("canceling"), std::string::npos);
}

TEST(MapSqlError, ServerShutdownBecomes503DatabaseUnavailable) {
  for (const char* state : {"57P01", "57P03", "08006", "53300"}) {
    const auto mapped_ptr = MapSqlError(pqxx::sql_error("bye", "", state));
    ASSERT_NE(mapped_ptr, nullptr) << state;
    EXPECT_EQ(Rethrown(mapped_ptr).code(), "database_unavailable") << state;
  }
}

TEST(MapSqlError, LeavesOtherErrorsAlone) {
  EXPECT_EQ(MapSqlError(pqxx::unique_violation("duplicate key", "INSERT", "23505")), nullptr);
  EXPECT_EQ(MapSqlError(pqxx::broken_connection("gone")), nullptr);
  EXPECT_EQ(MapSqlError(std::runtime_error("x")), nullptr);
}

TEST(ErrorType, PrefersTheSqlStateThenThePqxxKind) {
  EXPECT_EQ(ErrorType(pqxx::unique_violation("duplicate key", "INSERT", "23505")), "23505");
  EXPECT_EQ(ErrorType(DatabaseError("database_timeout", "m", "d", "57014")), "57014");
  EXPECT_EQ(ErrorType(DatabaseError("database_unavailable", "m", "d")), "database_unavailable");
  EXPECT_EQ(ErrorType(pqxx::broken_connection("gone")), "broken_connection");
  EXPECT_EQ(ErrorType(pqxx::too_many_connections("full")), "too_many_connections");
  EXPECT_EQ(ErrorType(pqxx::in_doubt_error("?")), "in_doubt_error");
  EXPECT_EQ(ErrorType(std::runtime_error("x")), "_OTHER");
}

TEST(SqlState, IsEmptyWithoutOne) {
  EXPECT_EQ(SqlState(pqxx::sql_error("m", "q", "42P01")), "42P01");
  EXPECT_EQ(SqlState(pqxx::sql_error("m")), "");
  EXPECT_EQ(SqlState(std::runtime_error("x")), "");
}

}  // namespace
}  // namespace hotorder::db
