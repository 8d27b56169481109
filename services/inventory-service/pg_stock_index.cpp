#include "pg_stock_index.hpp"

#include <string>

#include <pqxx/pqxx>

#include "db/db_span.hpp"

namespace hotorder::inventory {
namespace {

// No row: no index of that name. to_regclass finds it on the search path, as psql's
// `CREATE INDEX ... ON stock(sku)` names it (Postgres' own naming: table_column_idx).
constexpr std::string_view kReadIndex =
    "SELECT indisunique, indisvalid FROM pg_index WHERE indexrelid = to_regclass('stock_sku_idx')";
constexpr std::string_view kDropIndex = "DROP INDEX CONCURRENTLY IF EXISTS stock_sku_idx";
constexpr std::string_view kCreateIndex =
    "CREATE UNIQUE INDEX CONCURRENTLY stock_sku_idx ON stock (sku)";
// A non-unique index is replaced by a unique one built beside it, then swapped in by name in
// one short transaction.
constexpr std::string_view kCreateReplacement =
    "CREATE UNIQUE INDEX CONCURRENTLY stock_sku_idx_unique ON stock (sku)";
constexpr std::string_view kDropReplacement = "DROP INDEX CONCURRENTLY IF EXISTS stock_sku_idx_unique";
constexpr std::string_view kSwapReplacement =
    "DROP INDEX stock_sku_idx; ALTER INDEX stock_sku_idx_unique RENAME TO stock_sku_idx";

StockIndexState ReadState(pqxx::connection& connection) {
  pqxx::nontransaction txn(connection);
  auto rows = txn.exec(std::string(kReadIndex));
  if (rows.empty()) return StockIndexState::kMissing;
  if (!rows[0][1].as<bool>()) return StockIndexState::kInvalid;
  return rows[0][0].as<bool>() ? StockIndexState::kUnique : StockIndexState::kNonUnique;
}

// Runs `statement` outside any transaction (CONCURRENTLY requires it) with no statement
// timeout: building the index reads the whole table, longer than a request's 2 s budget.
void RunDdl(pqxx::connection& connection, std::string_view statement,
            std::chrono::milliseconds pool_timeout) {
  pqxx::nontransaction txn(connection);
  txn.exec0("SET statement_timeout = 0");
  try {
    txn.exec0(std::string(statement));
  } catch (...) {
    txn.exec0("SET statement_timeout = " + std::to_string(pool_timeout.count()));
    throw;
  }
  txn.exec0("SET statement_timeout = " + std::to_string(pool_timeout.count()));
}

// A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind: drop it, then rethrow.
void CreateOrClean(pqxx::connection& connection, std::string_view create, std::string_view drop,
                   std::chrono::milliseconds timeout) {
  try {
    RunDdl(connection, create, timeout);
  } catch (const pqxx::broken_connection&) {
    throw;
  } catch (...) {
    try {
      RunDdl(connection, drop, timeout);
    } catch (...) {
      // The first failure is the one to report.
    }
    throw;
  }
}

}  // namespace

StockIndexState PgStockIndex::Read(const telemetry::Context& parent) {
  auto span = db::StartDbSpan(tracer_, parent, pool_,
                              {.span_name = "db.stock-index.read",
                               .operation = "SELECT",
                               .collection = "pg_index",
                               .query_text = kReadIndex});
  return db::RunInSpan(span, [&] {
    auto state = pool_.Run([](pqxx::connection& connection) { return ReadState(connection); });
    span.SetAttribute("db.index.state", StockIndexStateName(state));
    return state;
  });
}

void PgStockIndex::Drop(const telemetry::Context& parent) {
  auto span = db::StartDbSpan(tracer_, parent, pool_,
                              {.span_name = "db.stock-index.drop",
                               .operation = "DROP INDEX",
                               .collection = "stock",
                               .query_text = kDropIndex});
  const auto timeout = pool_.options().statement_timeout;
  db::RunInSpan(span, [&] {
    pool_.Run([&](pqxx::connection& connection) { RunDdl(connection, kDropIndex, timeout); });
  });
}

void PgStockIndex::Restore(const telemetry::Context& parent) {
  auto span = db::StartDbSpan(tracer_, parent, pool_,
                              {.span_name = "db.stock-index.restore",
                               .operation = "CREATE INDEX",
                               .collection = "stock",
                               .query_text = kCreateIndex});
  const auto timeout = pool_.options().statement_timeout;
  db::RunInSpan(span, [&] {
    pool_.Run([&](pqxx::connection& connection) {
      const auto before = ReadState(connection);
      span.SetAttribute("db.index.state", StockIndexStateName(before));
      switch (before) {
        case StockIndexState::kUnique:
          return;
        case StockIndexState::kInvalid:
          RunDdl(connection, kDropIndex, timeout);
          [[fallthrough]];
        case StockIndexState::kMissing:
          CreateOrClean(connection, kCreateIndex, kDropIndex, timeout);
          return;
        case StockIndexState::kNonUnique:
          RunDdl(connection, kDropReplacement, timeout);  // a leftover of an interrupted swap
          CreateOrClean(connection, kCreateReplacement, kDropReplacement, timeout);
          pqxx::work swap(connection);
          swap.exec0(std::string(kSwapReplacement));
          swap.commit();
          return;
      }
    });
  });
}

}  // namespace hotorder::inventory
