#include "pg_inventory_repository.hpp"

#include <map>

#include "db/db_span.hpp"
#include "db/pg_array.hpp"
#include "inventory_sql.hpp"

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

// Runs `work` inside `span`; a failure marks the span ERROR before it propagates.
template <class Work>
auto InSpan(telemetry::Span& span, Work&& work) {
  try {
    return work();
  } catch (const std::exception& error) {
    db::RecordDbError(span, error);
    throw;
  }
}

}  // namespace

void PrepareStatements(pqxx::connection& connection) {
  connection.prepare(std::string(sql::kReserveName), std::string(sql::kReserve));
  connection.prepare(std::string(sql::kAvailabilityName), std::string(sql::kAvailability));
  connection.prepare(std::string(sql::kReleaseName), std::string(sql::kRelease));
  connection.prepare(std::string(sql::kFindStockName), std::string(sql::kFindStock));
}

ReserveOutcome PgInventoryRepository::Reserve(const telemetry::Context& parent,
                                              const std::string& reservation_id,
                                              const std::vector<domain::OrderItem>& items) {
  auto span = db::StartDbSpan(tracer_, parent, pool_,
                              {.span_name = "db.reserve-stock",
                               .operation = "UPDATE",
                               .collection = "stock",
                               .query_text = sql::kReserve});
  span.SetAttribute("inventory.item_count", static_cast<std::int64_t>(items.size()));
  return InSpan(span, [&] {
    auto columns = ToColumns(items);
    return pool_.Run([&](pqxx::connection& connection) {
      // Autocommit: the statement is all-or-nothing by itself (see sql::kReserve). Were the
      // connection to break after the commit, the pool's retry would find the reservation id
      // and answer kAlreadyReserved, which is the truth.
      pqxx::nontransaction txn(connection);
      auto row = txn.exec_prepared1(std::string(sql::kReserveName), reservation_id,
                                    columns.skus, columns.quantities);
      const auto lines_available = row[1].as<std::size_t>();
      const auto lines_reserved = row[2].as<std::size_t>();
      if (row[0].as<bool>()) return ReserveOutcome{ReserveOutcome::Kind::kAlreadyReserved};
      if (lines_reserved == items.size()) return ReserveOutcome{ReserveOutcome::Kind::kReserved};
      if (lines_available == items.size()) {
        // Everything was available yet nothing recorded: a concurrent request with the same
        // reservation id inserted it first.
        return ReserveOutcome{ReserveOutcome::Kind::kAlreadyReserved};
      }
      return ExplainRefusal(txn, items, columns);
    });
  });
}

bool PgInventoryRepository::Release(const telemetry::Context& parent,
                                    const std::string& reservation_id) {
  auto span = db::StartDbSpan(tracer_, parent, pool_,
                              {.span_name = "db.release-stock",
                               .operation = "UPDATE",
                               .collection = "stock",
                               .query_text = sql::kRelease});
  return InSpan(span, [&] {
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
  return InSpan(span, [&] {
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
