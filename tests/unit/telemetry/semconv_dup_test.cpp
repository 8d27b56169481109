#include "telemetry/semconv_dup.hpp"

#include <gtest/gtest.h>

namespace hotorder::telemetry {
namespace {

std::string StringOf(const SpanData& span, std::string_view key) {
  const auto* value = FindAttribute(span.attributes, key);
  if (value == nullptr) return "<absent>";
  if (const auto* text = std::get_if<std::string>(&value->variant())) return *text;
  if (const auto* number = std::get_if<std::int64_t>(&value->variant())) return std::to_string(*number);
  return "<other>";
}

SpanData ServerSpan() {
  SpanData span;
  span.kind = SpanKind::kServer;
  span.attributes = {{"http.request.method", "POST"}, {"url.scheme", "http"},
                     {"url.path", "/api/orders"},     {"url.query", "debug=1"},
                     {"server.address", "localhost"}, {"server.port", 8080},
                     {"client.address", "127.0.0.1"}, {"client.port", 50000},
                     {"user_agent.original", "curl/7.88.1"},
                     {"network.protocol.version", "1.1"},
                     {"http.response.status_code", 201}};
  return span;
}

SpanData DbSpan() {
  SpanData span;
  span.kind = SpanKind::kClient;
  span.attributes = {{"db.system.name", "postgresql"}, {"db.namespace", "hotorder"},
                     {"db.operation.name", "UPDATE"},  {"db.collection.name", "stock"},
                     {"db.query.text", "UPDATE stock SET reserved = $1"},
                     {"server.address", "127.0.0.1"},  {"server.port", 55432}};
  return span;
}

TEST(SemconvOptIn, ParsesTheCommaSeparatedSwitch) {
  EXPECT_EQ(ParseSemconvOptIn(""), SemconvOptIn{});
  EXPECT_EQ(ParseSemconvOptIn("http"), SemconvOptIn{});
  EXPECT_EQ(ParseSemconvOptIn("http/dup"), (SemconvOptIn{.http_dup = true}));
  EXPECT_EQ(ParseSemconvOptIn("database/dup, http/dup"),
            (SemconvOptIn{.http_dup = true, .database_dup = true}));
  EXPECT_EQ(ParseSemconvOptIn("messaging/dup,,database/dup"), (SemconvOptIn{.database_dup = true}));
  EXPECT_EQ(SemconvOptInName({.http_dup = true, .database_dup = true}), "http/dup,database/dup");
  EXPECT_EQ(SemconvOptInName({}), "");
}

TEST(SemconvDup, ServerSpanGetsTheOlderHttpNames) {
  auto span = ServerSpan();
  AddOldSemconvNames(span, {.http_dup = true}, {});
  EXPECT_EQ(StringOf(span, "http.method"), "POST");
  EXPECT_EQ(StringOf(span, "http.status_code"), "201");
  EXPECT_EQ(StringOf(span, "http.scheme"), "http");
  EXPECT_EQ(StringOf(span, "http.target"), "/api/orders?debug=1");
  EXPECT_EQ(StringOf(span, "net.host.name"), "localhost");
  EXPECT_EQ(StringOf(span, "net.host.port"), "8080");
  EXPECT_EQ(StringOf(span, "http.client_ip"), "127.0.0.1");
  EXPECT_EQ(StringOf(span, "http.user_agent"), "curl/7.88.1");
  EXPECT_EQ(StringOf(span, "net.protocol.version"), "1.1");
  EXPECT_EQ(StringOf(span, "http.request.method"), "POST") << "the stable names stay";
  EXPECT_EQ(StringOf(span, "net.peer.name"), "<absent>") << "a server names its host, not a peer";
}

TEST(SemconvDup, UnknownMethodKeepsItsOriginalInTheOlderName) {
  SpanData span;
  span.kind = SpanKind::kServer;
  span.attributes = {{"http.request.method", "_OTHER"}, {"http.request.method_original", "BREW"}};
  AddOldSemconvNames(span, {.http_dup = true}, {});
  EXPECT_EQ(StringOf(span, "http.method"), "BREW");
}

TEST(SemconvDup, ClientSpanNamesItsPeer) {
  SpanData span;
  span.kind = SpanKind::kClient;
  span.attributes = {{"http.request.method", "POST"}, {"url.full", "http://127.0.0.1:8082/reserve"},
                     {"server.address", "127.0.0.1"}, {"server.port", 8082}};
  AddOldSemconvNames(span, {.http_dup = true}, {});
  EXPECT_EQ(StringOf(span, "http.url"), "http://127.0.0.1:8082/reserve");
  EXPECT_EQ(StringOf(span, "net.peer.name"), "127.0.0.1");
  EXPECT_EQ(StringOf(span, "net.peer.port"), "8082");
}

TEST(SemconvDup, DatabaseSpanGetsTheOlderDatabaseNames) {
  auto span = DbSpan();
  AddOldSemconvNames(span, {.database_dup = true}, {});
  EXPECT_EQ(StringOf(span, "db.system"), "postgresql");
  EXPECT_EQ(StringOf(span, "db.name"), "hotorder");
  EXPECT_EQ(StringOf(span, "db.statement"), "UPDATE stock SET reserved = $1");
  EXPECT_EQ(StringOf(span, "db.operation"), "UPDATE");
  EXPECT_EQ(StringOf(span, "db.sql.table"), "stock");
  EXPECT_EQ(StringOf(span, "net.peer.name"), "127.0.0.1");
  EXPECT_EQ(StringOf(span, "net.peer.port"), "55432");
}

TEST(SemconvDup, EachDomainOnlyWhenOptedIn) {
  auto server = ServerSpan();
  auto db = DbSpan();
  const auto server_size = server.attributes.size();
  const auto db_size = db.attributes.size();
  AddOldSemconvNames(server, {.database_dup = true}, {});
  AddOldSemconvNames(db, {.http_dup = true}, {});
  EXPECT_EQ(server.attributes.size(), server_size);
  EXPECT_EQ(db.attributes.size(), db_size);
}

TEST(SemconvDup, KeepsAValueAlreadySetAndObeysTheCountLimit) {
  auto span = DbSpan();
  span.attributes.push_back({"db.system", "set-by-hand"});
  AddOldSemconvNames(span, {.database_dup = true}, {.count = 10});
  EXPECT_EQ(StringOf(span, "db.system"), "set-by-hand");
  EXPECT_EQ(span.attributes.size(), 10u);
  EXPECT_EQ(span.dropped_attributes_count, 4u);  // 6 older names to add, room for 2
}

}  // namespace
}  // namespace hotorder::telemetry
