#include "pg_session.hpp"

#include <cstdio>

namespace hotorder::floor_chain {

bool PgResult::ok() const {
  if (!result_) return false;
  auto status = PQresultStatus(result_.get());
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

PgSession::~PgSession() {
  if (connection_ != nullptr) PQfinish(connection_);
}

bool PgSession::Connect() {
  if (connection_ != nullptr) PQfinish(connection_);
  connection_ = PQconnectdb(url_.c_str());
  auto fail = [this](const char* what) {
    std::fprintf(stderr, "floor_chain: %s: %s", what, PQerrorMessage(connection_));
    PQfinish(connection_);
    connection_ = nullptr;
    return false;
  };
  if (PQstatus(connection_) != CONNECTION_OK) return fail("cannot connect to the database");
  // HotOrder's pool does the same (common/db/pg_pool.cpp): statements taking arrays would
  // otherwise be re-planned on every execution.
  if (!PgResult(PQexec(connection_, "SET plan_cache_mode = force_generic_plan")).ok()) {
    return fail("cannot set plan_cache_mode");
  }
  for (const auto& statement : statements_) {
    PgResult prepared(
        PQprepare(connection_, statement.name, statement.text, statement.parameter_count, nullptr));
    if (!prepared.ok()) return fail(statement.name);
  }
  return true;
}

PgResult PgSession::Execute(const char* name, const std::vector<const char*>& parameters) {
  if ((connection_ == nullptr || PQstatus(connection_) != CONNECTION_OK) && !Connect()) {
    return PgResult(nullptr);
  }
  PgResult result(PQexecPrepared(connection_, name, static_cast<int>(parameters.size()),
                                 parameters.data(), nullptr, nullptr, 0));
  if (!result.ok()) {
    std::fprintf(stderr, "floor_chain: %s failed: %s", name, PQerrorMessage(connection_));
  }
  return result;
}

}  // namespace hotorder::floor_chain
