#include "db/db_span.hpp"

#include <string>

#include "db/db_error.hpp"

namespace hotorder::db {

telemetry::Span StartDbSpan(const telemetry::Tracer& tracer, const telemetry::Context& parent,
                            const PgPool& pool, const DbOperation& op) noexcept {
  try {
    telemetry::Attributes attributes;
    attributes.reserve(7);
    attributes.push_back({"db.system.name", "postgresql"});
    if (!pool.database().empty()) attributes.push_back({"db.namespace", pool.database()});
    if (!op.operation.empty()) attributes.push_back({"db.operation.name", op.operation});
    if (!op.collection.empty()) attributes.push_back({"db.collection.name", op.collection});
    if (!op.query_text.empty()) attributes.push_back({"db.query.text", op.query_text});
    attributes.push_back({"server.address", pool.host()});
    attributes.push_back({"server.port", pool.port()});
    return tracer.StartSpan(op.span_name, parent,
                            {.kind = telemetry::SpanKind::kClient,
                             .attributes = std::move(attributes)});
  } catch (...) {
    // Only an allocation can fail above; tracing then yields a span that records nothing but
    // still carries the parent's context.
    return telemetry::Span(parent.span);
  }
}

void RecordDbError(telemetry::Span& span, const std::exception& error) noexcept {
  try {
    const auto* database_error = dynamic_cast<const DatabaseError*>(&error);
    if (database_error != nullptr && !database_error->detail().empty()) {
      // The client-facing message ("the database is unavailable") says too little for a trace.
      span.RecordException("hotorder::db::DatabaseError", database_error->detail());
      span.SetStatus(telemetry::StatusCode::kError, database_error->detail());
    } else {
      span.RecordException(error);
      span.SetStatus(telemetry::StatusCode::kError, error.what());
    }
    span.SetAttribute("error.type", ErrorType(error));
    if (const std::string state = SqlState(error); !state.empty()) {
      span.SetAttribute("db.response.status_code", state);
    }
  } catch (...) {
    span.SetStatus(telemetry::StatusCode::kError);
  }
}

}  // namespace hotorder::db
