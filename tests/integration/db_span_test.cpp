#include "db/db_span.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "db/db_error.hpp"
#include "support/postgres_instance.hpp"
#include "telemetry/processor/in_memory_span_exporter.hpp"
#include "telemetry/processor/simple_span_processor.hpp"
#include "telemetry/tracer_provider.hpp"

namespace hotorder::db {
namespace {

using namespace std::chrono_literals;
using telemetry::AttributeValue;
using telemetry::FindAttribute;

class DbSpanTest : public ::testing::Test {
 protected:
  DbSpanTest() {
    auto exporter = std::make_unique<telemetry::InMemorySpanExporter>();
    store_ = exporter->store();
    telemetry::TracerProviderOptions options;
    options.processor = std::make_unique<telemetry::SimpleSpanProcessor>(std::move(exporter));
    provider_ = std::make_unique<telemetry::TracerProvider>(std::move(options));
  }

  const telemetry::Tracer& tracer() { return provider_->GetTracer("hotorder.test"); }

  telemetry::SpanData OnlySpan() {
    const auto spans = store_->GetSpans();
    EXPECT_EQ(spans.size(), 1u);
    return spans.empty() ? telemetry::SpanData{} : spans.front();
  }

  static std::string Text(const telemetry::SpanData& span, std::string_view key) {
    const AttributeValue* value = FindAttribute(span.attributes, key);
    if (value == nullptr) return "<missing>";
    if (const auto* text = std::get_if<std::string>(&value->variant())) return *text;
    if (const auto* number = std::get_if<std::int64_t>(&value->variant())) {
      return std::to_string(*number);
    }
    return "<other type>";
  }

  static const AttributeValue* EventAttribute(const telemetry::SpanData& span,
                                              std::string_view event, std::string_view key) {
    for (const auto& e : span.events) {
      if (e.name == event) return FindAttribute(e.attributes, key);
    }
    return nullptr;
  }

  std::shared_ptr<telemetry::InMemorySpanStore> store_;
  std::unique_ptr<telemetry::TracerProvider> provider_;
};

constexpr DbOperation kReserveStock{
    .span_name = "db.reserve-stock",
    .operation = "UPDATE",
    .collection = "stock",
    .query_text = "UPDATE stock SET reserved = reserved + $2 WHERE sku = $1",
};

TEST_F(DbSpanTest, StartsAClientSpanWithDatabaseSemanticConventions) {
  PgPool pool({.url = "postgresql://hotorder@127.0.0.1:55432/hotorder"}, nullptr);
  telemetry::Span parent = tracer().StartSpan("POST /reserve", telemetry::Context{},
                                              {.kind = telemetry::SpanKind::kServer});
  const telemetry::Context parent_context{parent.context(), {}};
  StartDbSpan(tracer(), parent_context, pool, kReserveStock).End();

  const auto span = OnlySpan();
  EXPECT_EQ(span.name, "db.reserve-stock");
  EXPECT_EQ(span.kind, telemetry::SpanKind::kClient);
  EXPECT_EQ(span.context.trace_id(), parent.context().trace_id());
  EXPECT_EQ(span.parent_span_id, parent.context().span_id());
  EXPECT_EQ(Text(span, "db.system.name"), "postgresql");
  EXPECT_EQ(Text(span, "db.namespace"), "hotorder");
  EXPECT_EQ(Text(span, "db.operation.name"), "UPDATE");
  EXPECT_EQ(Text(span, "db.collection.name"), "stock");
  EXPECT_EQ(Text(span, "db.query.text"),
            "UPDATE stock SET reserved = reserved + $2 WHERE sku = $1");
  EXPECT_EQ(Text(span, "server.address"), "127.0.0.1");
  EXPECT_EQ(Text(span, "server.port"), "55432");
  EXPECT_EQ(span.status.code, telemetry::StatusCode::kUnset);
}

TEST_F(DbSpanTest, LeavesOutEmptyFields) {
  PgPool pool({.url = "host=db.example port=5433 dbname=orders user=svc"}, nullptr);
  StartDbSpan(tracer(), telemetry::Context{}, pool, {.span_name = "INSERT orders"}).End();
  const auto span = OnlySpan();
  EXPECT_EQ(span.name, "INSERT orders");
  EXPECT_EQ(Text(span, "db.namespace"), "orders");
  EXPECT_EQ(Text(span, "server.address"), "db.example");
  EXPECT_EQ(Text(span, "server.port"), "5433");
  EXPECT_EQ(Text(span, "db.operation.name"), "<missing>");
  EXPECT_EQ(Text(span, "db.collection.name"), "<missing>");
  EXPECT_EQ(Text(span, "db.query.text"), "<missing>");
}

TEST_F(DbSpanTest, RecordsAStatementTimeoutFromARealQuery) {
  PgPool pool({.url = test::PostgresInstance::Shared().url(), .statement_timeout = 50ms},
              nullptr);
  auto span = StartDbSpan(tracer(), telemetry::Context{}, pool,
                          {.span_name = "SELECT stock", .operation = "SELECT"});
  try {
    pool.Run([](pqxx::connection& connection) {
      pqxx::work transaction(connection);
      transaction.exec("SELECT pg_sleep(5)");
    });
    ADD_FAILURE() << "expected a statement timeout";
  } catch (const std::exception& error) {
    RecordDbError(span, error);
  }
  span.End();

  const auto data = OnlySpan();
  EXPECT_EQ(data.status.code, telemetry::StatusCode::kError);
  EXPECT_NE(data.status.description.find("statement timeout"), std::string::npos)
      << data.status.description;
  EXPECT_EQ(Text(data, "error.type"), "57014");
  EXPECT_EQ(Text(data, "db.response.status_code"), "57014");
  const AttributeValue* type = EventAttribute(data, "exception", "exception.type");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(std::get<std::string>(type->variant()), "hotorder::db::DatabaseError");
}

TEST_F(DbSpanTest, RecordsAnSqlErrorWithItsSqlState) {
  PgPool pool({.url = test::PostgresInstance::Shared().url()}, nullptr);
  auto span = StartDbSpan(tracer(), telemetry::Context{}, pool, {.span_name = "SELECT nothing"});
  try {
    pool.Run([](pqxx::connection& connection) {
      pqxx::work transaction(connection);
      transaction.exec("SELECT * FROM no_such_table");
    });
    ADD_FAILURE() << "expected an undefined_table error";
  } catch (const std::exception& error) {
    RecordDbError(span, error);
  }
  span.End();

  const auto data = OnlySpan();
  EXPECT_EQ(data.status.code, telemetry::StatusCode::kError);
  EXPECT_EQ(Text(data, "error.type"), "42P01");
  EXPECT_EQ(Text(data, "db.response.status_code"), "42P01");
  const AttributeValue* message = EventAttribute(data, "exception", "exception.message");
  ASSERT_NE(message, nullptr);
  EXPECT_NE(std::get<std::string>(message->variant()).find("no_such_table"), std::string::npos);
}

TEST_F(DbSpanTest, RecordsFailuresWithoutSqlState) {
  PgPool pool({.url = "postgresql://hotorder@127.0.0.1:1/hotorder"}, nullptr);
  auto span = StartDbSpan(tracer(), telemetry::Context{}, pool, {.span_name = "SELECT 1"});
  RecordDbError(span, pqxx::broken_connection("server closed the connection unexpectedly"));
  span.End();
  const auto data = OnlySpan();
  EXPECT_EQ(data.status.code, telemetry::StatusCode::kError);
  EXPECT_EQ(data.status.description, "server closed the connection unexpectedly");
  EXPECT_EQ(Text(data, "error.type"), "broken_connection");
  EXPECT_EQ(Text(data, "db.response.status_code"), "<missing>");
}

}  // namespace
}  // namespace hotorder::db
