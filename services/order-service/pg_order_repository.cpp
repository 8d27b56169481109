#include "pg_order_repository.hpp"

#include "db/db_span.hpp"
#include "db/pg_array.hpp"
#include "order_sql.hpp"

namespace hotorder::orders {

void PrepareStatements(pqxx::connection& connection) {
  connection.prepare(std::string(sql::kInsertOrderName), std::string(sql::kInsertOrder));
  connection.prepare(std::string(sql::kFindByIdName), std::string(sql::kFindById));
  connection.prepare(std::string(sql::kFindByKeyName), std::string(sql::kFindByKey));
}

void PgOrderRepository::Insert(const telemetry::Context& parent, const Order& order) {
  auto span = db::StartDbSpan(tracer_, parent, pool_,
                              {.span_name = "INSERT orders",
                               .operation = "INSERT",
                               .collection = "orders",
                               .query_text = sql::kInsertOrder});
  std::vector<std::string> skus;
  std::vector<int> quantities;
  for (const auto& item : order.items) {
    skus.push_back(item.sku);
    quantities.push_back(item.qty);
  }
  try {
    pool_.Run([&](pqxx::connection& connection) {
      // Autocommit: one statement stores the order and its lines (see sql::kInsertOrder).
      pqxx::nontransaction txn(connection);
      txn.exec_prepared0(std::string(sql::kInsertOrderName), order.id, order.customer_id,
                         order.customer_tier, order.status, order.idempotency_key,
                         order.request_hash, order.trace_id, db::TextArrayLiteral(skus),
                         db::IntArrayLiteral(quantities));
    });
  } catch (const pqxx::unique_violation& error) {
    db::RecordDbError(span, error);
    // Order ids are random UUIDs; the one unique value two requests can share is the key.
    if (!order.idempotency_key.empty()) throw DuplicateIdempotencyKey();
    throw;
  } catch (const std::exception& error) {
    db::RecordDbError(span, error);
    throw;
  }
}

std::optional<Order> PgOrderRepository::FindOne(const telemetry::Context& parent,
                                                std::string_view statement_name,
                                                std::string_view statement,
                                                const std::string& value) {
  auto span = db::StartDbSpan(tracer_, parent, pool_,
                              {.span_name = "SELECT orders",
                               .operation = "SELECT",
                               .collection = "orders",
                               .query_text = statement});
  return db::RunInSpan(span, [&] {
    return pool_.Run([&](pqxx::connection& connection) -> std::optional<Order> {
      pqxx::nontransaction txn(connection);
      auto rows = txn.exec_prepared(std::string(statement_name), value);
      if (rows.empty()) return std::nullopt;
      const auto& first = rows[0];
      Order order{.id = first[0].as<std::string>(),
                  .customer_id = first[1].as<std::string>(),
                  .customer_tier = first[2].as<std::string>(),
                  .status = first[3].as<std::string>(),
                  .trace_id = first[6].is_null() ? "" : first[6].as<std::string>(),
                  .idempotency_key = first[4].as<std::string>(),
                  .request_hash = first[5].is_null() ? "" : first[5].as<std::string>()};
      for (const auto& row : rows) {
        order.items.push_back({row[7].as<std::string>(), row[8].as<int>()});
      }
      return order;
    });
  });
}

std::optional<Order> PgOrderRepository::FindById(const telemetry::Context& parent,
                                                  const std::string& id) {
  return FindOne(parent, sql::kFindByIdName, sql::kFindById, id);
}

std::optional<Order> PgOrderRepository::FindByIdempotencyKey(const telemetry::Context& parent,
                                                             const std::string& key) {
  return FindOne(parent, sql::kFindByKeyName, sql::kFindByKey, key);
}

}  // namespace hotorder::orders
