#pragma once
// CLIENT spans for database calls, named and attributed by the OpenTelemetry database semantic
// conventions (db.system.name, db.namespace, db.operation.name, db.collection.name,
// db.query.text, server.address, server.port), so Jaeger and the Collector's span metrics see
// PostgreSQL calls the way any instrumented client would report them.

#include <exception>
#include <string_view>

#include "db/pg_pool.hpp"
#include "telemetry/context.hpp"
#include "telemetry/span.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::db {

struct DbOperation {
  std::string_view span_name;   // "db.reserve-stock" or "INSERT orders"
  std::string_view operation;   // db.operation.name: "UPDATE", "INSERT", "SELECT"
  std::string_view collection;  // db.collection.name: "stock"
  // db.query.text: the statement with $1 placeholders, never values (they may be personal data,
  // and parameterised text keeps the attribute's cardinality low).
  std::string_view query_text;
};

// Starts the span as a child of `parent`. Empty operation/collection/query_text fields are left
// out. The caller ends it (or lets it end when destroyed). Never throws.
telemetry::Span StartDbSpan(const telemetry::Tracer& tracer, const telemetry::Context& parent,
                            const PgPool& pool, const DbOperation& op) noexcept;

// For a caught database failure: the "exception" event, status ERROR with the exception's
// message, error.type (the SQLSTATE, or the failure's kind; see ErrorType) and, when the server
// sent one, db.response.status_code. A DatabaseError is described by its detail, which says more
// than the client-facing message. Never throws.
void RecordDbError(telemetry::Span& span, const std::exception& error) noexcept;

// Runs `work` inside `span` and returns what it returns; a failure is recorded on the span
// (RecordDbError) before it propagates.
template <class Work>
auto RunInSpan(telemetry::Span& span, Work&& work) {
  try {
    return work();
  } catch (const std::exception& error) {
    RecordDbError(span, error);
    throw;
  }
}

}  // namespace hotorder::db
