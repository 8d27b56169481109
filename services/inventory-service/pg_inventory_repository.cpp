#include "pg_inventory_repository.hpp"

#include <chrono>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "db/db_span.hpp"
#include "db/pg_array.hpp"
#include "inventory_sql.hpp"
#include "stock_plan.hpp"

namespace hotorder::inventory {
namespace {

struct ItemColumns {
  std::string skus;  // '{"SKU-1","SKU-2"}'
  std::string quantities;
};

ItemColumns ToColumns(const std::vector<domain::OrderItem>& items) {
  std::vector<std::string> skus;
  std::vector<int> quantities;
  for (const auto& item : items) {
    skus.push_back(item.sku);
    quantities.push_back(item.qty);
  }
  return {db::TextArrayLiteral(skus), db::IntArrayLiteral(quantities)};
}

// Why a reservation was refused, from what the stock looks like now: the first unknown SKU, or
// else the first line asking for more than is available (in the items' sorted order).
ReserveOutcome ExplainRefusal(pqxx::transaction_base& txn,
                              const std::vector<domain::OrderItem>& items,
                              const ItemColumns& columns) {
  std::map<std::string, int> available;
  for (const auto& row : txn.exec_prepared(std::string(sql::kAvailabilityName), columns.skus)) {
    available[row[0].as<std::string>()] = row[1].as<int>();
  }
  for (const auto& item : items) {
    if (!available.contains(item.sku)) {
      return {ReserveOutcome::Kind::kUnknownSku, item.sku, item.qty, 0};
    }
  }
  for (const auto& item : items) {
    if (available[item.sku] < item.qty) {
      return {ReserveOutcome::Kind::kInsufficientStock, item.sku, item.qty, available[item.sku]};
    }
  }
  // Stock was released between the refusal and this look: report the first line as short,
  // with what is available now, rather than pretend the reservation happened.
  const auto& first = items.front();
  return {ReserveOutcome::Kind::kInsufficientStock, first.sku, first.qty, available[first.sku]};
}

// The reservation statement's answer as an outcome (see sql::kReserve for its columns).
ReserveOutcome Interpret(const pqxx::row& row, pqxx::transaction_base& txn,
                         const std::vector<domain::OrderItem>& items, const ItemColumns& columns) {
  const auto lines_available = row[1].as<std::size_t>();
  const auto lines_reserved = row[2].as<std::size_t>();
  if (row[0].as<bool>()) return {ReserveOutcome::Kind::kAlreadyReserved};
  if (lines_reserved == items.size()) return {ReserveOutcome::Kind::kReserved};
  if (lines_available == items.size()) {
    // Everything was available yet nothing recorded: a concurrent request with the same
    // reservation id inserted it first.
    return {ReserveOutcome::Kind::kAlreadyReserved};
  }
  return ExplainRefusal(txn, items, columns);
}

StockScanCounters ReadCounters(const pqxx::row& row) {
  return {row[0].as<std::int64_t>(), row[1].as<std::int64_t>(), row[2].as<std::int64_t>(),
          row[3].as<std::int64_t>()};
}

// The fault's marks on db.reserve-stock: what was done to the request, and the evidence a
// person finds in the waterfall.
void RecordFault(telemetry::Span& span, const FaultDecision& fault, std::int64_t rows_scanned,
                 std::int64_t seq_scans, const std::string& plan) {
  span.SetAttribute("demo.fault.active", true);
  span.SetAttribute("demo.fault.name", kSlowIndexScan);
  span.SetAttribute("demo.fault.mode", FaultModeName(fault.mode));
  span.SetAttribute("demo.fault.trigger", TriggerName(fault.trigger));
  if (fault.mode == FaultMode::kSleep) span.SetAttribute("demo.fault.delay_ms", fault.delay_ms);
  span.SetAttribute("db.rows_scanned", rows_scanned);
  telemetry::Attributes event = {{"db.index", kStockSkuIndex}, {"db.rows_scanned", rows_scanned}};
  if (fault.mode != FaultMode::kSleep) {
    // The reservation's statement reads `stock` twice (to lock, then to update), so without
    // its index that is two full scans: rows_scanned is about twice the table.
    event.push_back({"db.seq_scans", seq_scans});
    event.push_back({"db.plan", plan});
  }
  span.AddEvent("slow-index-scan-detected", std::move(event));
}

}  // namespace

void PrepareStatements(pqxx::connection& connection) {
  connection.prepare(std::string(sql::kReserveName), std::string(sql::kReserve));
  connection.prepare(std::string(sql::kAvailabilityName), std::string(sql::kAvailability));
  connection.prepare(std::string(sql::kReleaseName), std::string(sql::kRelease));
  connection.prepare(std::string(sql::kFindStockName), std::string(sql::kFindStock));
  connection.prepare(std::string(sql::kStockRowEstimateName), std::string(sql::kStockRowEstimate));
}

ReserveOutcome PgInventoryRepository::Reserve(const telemetry::Context& parent,
                                              const std::string& reservation_id,
                                              const std::vector<domain::OrderItem>& items,
                                              const FaultDecision& fault) {
  auto span = db::StartDbSpan(tracer_, parent, pool_,
                              {.span_name = "db.reserve-stock",
                               .operation = "UPDATE",
                               .collection = "stock",
                               .query_text = sql::kReserve});
  span.SetAttribute("inventory.item_count", static_cast<std::int64_t>(items.size()));
  return db::RunInSpan(span, [&] {
    Evidence evidence;
    if (!fault.active()) {
      evidence = ReserveNormally(reservation_id, items, false);
    } else if (fault.mode == FaultMode::kSleep) {
      // Before borrowing a connection: the pool stays free for requests that are not slowed.
      std::this_thread::sleep_for(std::chrono::milliseconds(fault.delay_ms));
      evidence = ReserveNormally(reservation_id, items, true);
    } else {
      evidence = ReserveMeasured(reservation_id, items, fault.mode == FaultMode::kSeqScan);
    }
    if (!evidence.plan.empty()) span.SetAttribute("db.plan", evidence.plan);
    // In missing-index mode the plan says whether the index is really gone: once the lesson's
    // fix is in, the reservation is fast again and its span shows the handful of rows it read.
    const bool slowed = fault.active() && (fault.mode != FaultMode::kMissingIndex ||
                                           ScansWholeTable(evidence.plan));
    if (slowed) {
      RecordFault(span, fault, evidence.rows_scanned, evidence.seq_scans, evidence.plan);
    } else if (fault.active()) {
      span.SetAttribute("db.rows_scanned", evidence.rows_scanned);
    }
    return evidence.outcome;
  });
}

PgInventoryRepository::Evidence PgInventoryRepository::ReserveNormally(
    const std::string& reservation_id, const std::vector<domain::OrderItem>& items,
    bool estimate_rows) {
  auto columns = ToColumns(items);
  return pool_.Run([&](pqxx::connection& connection) {
    // Autocommit: the statement is all-or-nothing by itself (see sql::kReserve). Were the
    // connection to break after the commit, the pool's retry would find the reservation id
    // and answer kAlreadyReserved, which is the truth.
    pqxx::nontransaction txn(connection);
    Evidence evidence;
    auto row = txn.exec_prepared1(std::string(sql::kReserveName), reservation_id, columns.skus,
                                  columns.quantities);
    // After the statement: libpqxx prepares a statement on its first use.
    evidence.plan = PreparedPlan(txn);
    evidence.outcome = Interpret(row, txn, items, columns);
    if (estimate_rows) {
      evidence.rows_scanned =
          txn.exec_prepared1(std::string(sql::kStockRowEstimateName))[0].as<std::int64_t>();
    }
    return evidence;
  });
}

PgInventoryRepository::Evidence PgInventoryRepository::ReserveMeasured(
    const std::string& reservation_id, const std::vector<domain::OrderItem>& items,
    bool disable_index_scans) {
  auto columns = ToColumns(items);
  const std::string reserve(sql::kReserve);
  const std::string counters =
      disable_index_scans ? std::string(sql::kDisableIndexScans) + std::string(sql::kStockScanCounters)
                          : std::string(sql::kStockScanCounters);
  return pool_.Run([&](pqxx::connection& connection) {
    pqxx::work txn(connection);
    auto before = ReadCounters(txn.exec1(counters));
    Evidence evidence;
    auto plan = txn.exec_params1("EXPLAIN (FORMAT JSON) " + reserve, reservation_id,
                                 columns.skus, columns.quantities);
    evidence.plan = DescribeStockAccess(nlohmann::json::parse(plan[0].c_str(), nullptr, false));
    auto row = txn.exec_params1(reserve, reservation_id, columns.skus, columns.quantities);
    auto after = ReadCounters(txn.exec1(std::string(sql::kStockScanCounters)));
    auto work = Difference(before, after);
    evidence.rows_scanned = work.rows_scanned;
    evidence.seq_scans = work.seq_scans;
    evidence.outcome = Interpret(row, txn, items, columns);
    txn.commit();
    return evidence;
  });
}

std::string PgInventoryRepository::PreparedPlan(pqxx::transaction_base& txn) {
  std::lock_guard lock(plan_mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!plan_explained_ || now - plan_explained_at_ > kPlanLifetime) {
    auto explained = txn.exec1(std::string(sql::kExplainPreparedReserve));
    prepared_plan_ = DescribeStockAccess(nlohmann::json::parse(explained[0].c_str(), nullptr, false));
    plan_explained_ = true;
    plan_explained_at_ = now;
  }
  return prepared_plan_;
}

bool PgInventoryRepository::Release(const telemetry::Context& parent,
                                    const std::string& reservation_id) {
  auto span = db::StartDbSpan(tracer_, parent, pool_,
                              {.span_name = "db.release-stock",
                               .operation = "UPDATE",
                               .collection = "stock",
                               .query_text = sql::kRelease});
  return db::RunInSpan(span, [&] {
    return pool_.Run([&](pqxx::connection& connection) {
      pqxx::nontransaction txn(connection);
      auto row = txn.exec_prepared1(std::string(sql::kReleaseName), reservation_id);
      return row[0].as<int>() == 1;
    });
  });
}

std::optional<StockLevel> PgInventoryRepository::FindStock(const telemetry::Context& parent,
                                                           const std::string& sku) {
  auto span = db::StartDbSpan(tracer_, parent, pool_,
                              {.span_name = "SELECT stock",
                               .operation = "SELECT",
                               .collection = "stock",
                               .query_text = sql::kFindStock});
  return db::RunInSpan(span, [&] {
    return pool_.Run([&](pqxx::connection& connection) -> std::optional<StockLevel> {
      pqxx::nontransaction txn(connection);
      auto rows = txn.exec_prepared(std::string(sql::kFindStockName), sku);
      if (rows.empty()) return std::nullopt;
      const auto& row = rows[0];
      return StockLevel{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int>(),
                        row[3].as<int>()};
    });
  });
}

}  // namespace hotorder::inventory
