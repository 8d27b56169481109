#include "tools/investigate/explain_report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "trace_builder.hpp"

namespace hotorder::investigate {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using namespace testing;

TEST(InvestigateExplainJson, HasTheStableFieldsScriptsParse) {
  const Trace trace = ParseOrFail(TraceJson(HotOrderSpecs()));
  const auto ordered = ExplainJson(trace, Explain(trace));
  EXPECT_EQ(ordered.begin().key(), "trace_id");  // fields in reading order, not sorted
  const json out = json::parse(ordered.dump());
  EXPECT_EQ(out.at("trace_id"), kTraceId);
  EXPECT_EQ(out.at("duration_us"), 380'000);
  EXPECT_EQ(out.at("span_count"), 8);
  EXPECT_EQ(out.at("service_count"), 3);
  EXPECT_EQ(out.at("error_count"), 0);
  EXPECT_EQ(out.at("root").at("service"), "api-gateway");
  EXPECT_EQ(out.at("root").at("operation"), "POST /api/orders");
  EXPECT_EQ(out.at("root").at("span_id"), "a000000000000001");
  EXPECT_EQ(out.at("root").at("duration_us"), 380'000);

  const json& path = out.at("critical_path");
  ASSERT_EQ(path.size(), 8u);
  EXPECT_EQ(path[0].at("operation"), "POST /api/orders");
  EXPECT_EQ(path[6].at("span_id"), "c000000000000002");
  EXPECT_EQ(path[6].at("service"), "inventory-service");
  EXPECT_EQ(path[6].at("self_us"), 350'000);
  EXPECT_NEAR(path[6].at("share").get<double>(), 350.0 / 380.0, 1e-9);

  const json& culprit = out.at("culprit");
  EXPECT_EQ(culprit.at("span_id"), "c000000000000002");
  EXPECT_EQ(culprit.at("service"), "inventory-service");
  EXPECT_EQ(culprit.at("operation"), "db.reserve-stock");
  EXPECT_EQ(culprit.at("duration_us"), 350'000);
  EXPECT_EQ(culprit.at("self_us"), 350'000);
  EXPECT_GE(culprit.at("share").get<double>(), 0.9);
  EXPECT_EQ(culprit.at("error"), false);
  EXPECT_EQ(culprit.at("kind"), "client");
  ASSERT_EQ(culprit.at("events").size(), 1u);
  const json& event = culprit.at("events")[0];
  EXPECT_EQ(event.at("name"), "slow-index-scan-detected");
  EXPECT_EQ(event.at("offset_us"), 10'000);
  EXPECT_EQ(event.at("span_offset_us"), 3'000);
  EXPECT_EQ(event.at("attributes"),
            json({{"db.index", "stock_sku_idx"}, {"db.rows_scanned", 100000}}));
  // Notable attributes only: db.*, demo.*; not span.kind or otel.scope.name.
  EXPECT_EQ(culprit.at("attributes"), json({{"db.system", "postgresql"},
                                            {"db.operation.name", "UPDATE"},
                                            {"demo.fault", "slow-index-scan"}}));
}

TEST(InvestigateExplainText, NamesTheCulpritWithItsEvidence) {
  const Trace trace = ParseOrFail(TraceJson(HotOrderSpecs()));
  const std::string text = FormatExplainText(trace, Explain(trace));
  EXPECT_THAT(text, HasSubstr("api-gateway: POST /api/orders took 380.00ms"));
  EXPECT_THAT(text, HasSubstr("  350.00ms   92.1%            inventory-service: "
                              "db.reserve-stock  <- culprit\n"));
  EXPECT_THAT(text, HasSubstr("Culprit: inventory-service: db.reserve-stock  (span "
                              "c000000000000002)"));
  EXPECT_THAT(text, HasSubstr("350.00ms of the root's 380.00ms (92.1%) is this span's own time"));
  EXPECT_THAT(text, HasSubstr("+10.00ms (3.00ms into the span)  slow-index-scan-detected  "
                              "db.index=stock_sku_idx db.rows_scanned=100000"));
  EXPECT_THAT(text, HasSubstr("    db.system=postgresql\n"));
  EXPECT_THAT(text, HasSubstr("investigate show 4bf92f3577b34da6a3ce929d0e0e4736"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("note:")));
}

TEST(InvestigateExplainText, WarnsWhenSpansMissTheirParent) {
  auto specs = HotOrderSpecs();
  specs.erase(specs.begin() + 4);
  const Trace trace = ParseOrFail(TraceJson(specs));
  EXPECT_THAT(FormatExplainText(trace, Explain(trace)),
              HasSubstr("note: 1 span(s) name a parent that is not in the trace (yet)"));
  EXPECT_EQ(ExplainJson(trace, Explain(trace)).at("orphan_count"), 1u);
}

TEST(InvestigateExplainJson, MarksAnErrorCulprit) {
  const Trace trace = ParseOrFail(TraceJson({
      {"0000000000000001", "", "s", "root", 0, 100},
      {"0000000000000002", "0000000000000001", "s", "bad", 5, 90,
       {Tag("error", true), Tag("otel.status_description", "timeout"), Tag("http.route", "/x")}},
  }));
  const json culprit = json::parse(ExplainJson(trace, Explain(trace)).dump()).at("culprit");
  EXPECT_EQ(culprit.at("operation"), "bad");
  EXPECT_EQ(culprit.at("error"), true);
  EXPECT_EQ(culprit.at("attributes"),
            json({{"error", true}, {"otel.status_description", "timeout"}, {"http.route", "/x"}}));
}

TEST(InvestigateNotableAttribute, KeepsEvidenceKeys) {
  for (const char* key : {"db.system", "demo.fault", "http.route", "url.path", "server.address",
                          "error", "otel.status_description"}) {
    EXPECT_TRUE(IsNotableAttribute(key)) << key;
  }
  for (const char* key : {"span.kind", "otel.scope.name", "order.item_count", "dbx"}) {
    EXPECT_FALSE(IsNotableAttribute(key)) << key;
  }
}

}  // namespace
}  // namespace hotorder::investigate
