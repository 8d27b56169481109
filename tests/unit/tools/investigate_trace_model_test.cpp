#include "tools/investigate/trace_model.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "trace_builder.hpp"

namespace hotorder::investigate {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace testing;

std::vector<std::string> Names(const Trace& trace, const std::vector<std::size_t>& indexes) {
  std::vector<std::string> names;
  for (std::size_t index : indexes) names.push_back(trace.spans[index].operation);
  return names;
}

TEST(InvestigateTraceModel, BuildsTheTreeFromChildOfReferences) {
  const Trace trace = ParseOrFail(TraceJson(HotOrderSpecs()));
  ASSERT_EQ(trace.spans.size(), 8u);
  EXPECT_EQ(trace.trace_id, kTraceId);
  ASSERT_EQ(trace.roots.size(), 1u);
  EXPECT_EQ(trace.Root()->operation, "POST /api/orders");
  EXPECT_EQ(trace.start_us, kEpochUs);
  EXPECT_EQ(trace.duration_us(), 380'000);
  EXPECT_EQ(trace.ServiceCount(), 3u);
  EXPECT_EQ(trace.ErrorCount(), 0u);
  // Depth first, children by start time.
  EXPECT_THAT(Names(trace, trace.tree_order),
              ElementsAre("POST /api/orders", "POST /orders", "POST /orders", "validate-order",
                          "POST /reserve", "POST /reserve", "db.reserve-stock", "INSERT orders"));
  std::vector<int> depths;
  for (std::size_t index : trace.tree_order) depths.push_back(trace.spans[index].depth);
  EXPECT_THAT(depths, ElementsAre(0, 1, 2, 3, 3, 4, 5, 3));
}

TEST(InvestigateTraceModel, MapsProcessesToServicesAndReadsSpanFields) {
  const Trace trace = ParseOrFail(TraceJson(HotOrderSpecs()));
  const Span& db = trace.spans[6];
  EXPECT_EQ(db.operation, "db.reserve-stock");
  EXPECT_EQ(db.service, "inventory-service");
  EXPECT_EQ(db.kind, "client");
  EXPECT_EQ(db.start_us, kEpochUs + 7'000);
  EXPECT_EQ(db.duration_us, 350'000);
  EXPECT_EQ(db.parent_span_id, "c000000000000001");
  EXPECT_EQ(trace.spans[db.parent].operation, "POST /reserve");
  ASSERT_NE(db.Tag("db.system"), nullptr);
  EXPECT_EQ(db.Tag("db.system")->value, "postgresql");
}

TEST(InvestigateTraceModel, EventNameComesFromTheEventField) {
  const Trace trace = ParseOrFail(TraceJson(HotOrderSpecs()));
  const Span& db = trace.spans[6];
  ASSERT_EQ(db.events.size(), 1u);
  EXPECT_EQ(db.events[0].name, "slow-index-scan-detected");
  EXPECT_EQ(db.events[0].timestamp_us, kEpochUs + 10'000);
  ASSERT_EQ(db.events[0].attributes.size(), 2u);
  EXPECT_EQ(db.events[0].attributes[0].key, "db.index");
  EXPECT_EQ(db.events[0].attributes[0].value, "stock_sku_idx");
  EXPECT_EQ(db.events[0].attributes[1].key, "db.rows_scanned");
  EXPECT_EQ(db.events[0].attributes[1].value, 100000);
}

TEST(InvestigateTraceModel, AMissingParentMakesAnExtraRootThatIsKept) {
  auto specs = HotOrderSpecs();
  specs.erase(specs.begin() + 4);  // order-service's POST /reserve has not arrived
  const Trace trace = ParseOrFail(TraceJson(specs));
  ASSERT_EQ(trace.spans.size(), 7u);
  ASSERT_EQ(trace.roots.size(), 2u);
  EXPECT_EQ(trace.Root()->operation, "POST /api/orders");
  const Span& orphan = trace.spans[trace.roots[1]];
  EXPECT_EQ(orphan.service, "inventory-service");
  EXPECT_EQ(orphan.operation, "POST /reserve");
  EXPECT_TRUE(orphan.orphan());
  EXPECT_FALSE(trace.Root()->orphan());
  EXPECT_EQ(orphan.depth, 0);
  EXPECT_EQ(trace.tree_order.size(), 7u);  // every span is shown
  EXPECT_EQ(trace.tree_order.back(), 5u);  // the orphan's child follows it
}

TEST(InvestigateTraceModel, WithoutATrueRootTheEarliestOrphanIsTheRoot) {
  auto specs = HotOrderSpecs();
  specs.erase(specs.begin(), specs.begin() + 2);  // the gateway's spans are missing
  const Trace trace = ParseOrFail(TraceJson(specs));
  EXPECT_EQ(trace.Root()->service, "order-service");
  EXPECT_EQ(trace.Root()->operation, "POST /orders");
  EXPECT_TRUE(trace.Root()->orphan());
}

TEST(InvestigateTraceModel, ErrorStatusFromOtelStatusCodeOrErrorTag) {
  const Trace trace = ParseOrFail(TraceJson({
      {"0000000000000001", "", "s", "root", 0, 100, {Tag("otel.status_code", "ERROR")}},
      {"0000000000000002", "0000000000000001", "s", "flagged", 10, 10, {Tag("error", true)}},
      {"0000000000000003", "0000000000000001", "s", "string-flag", 20, 10, {Tag("error", "true")}},
      {"0000000000000004", "0000000000000001", "s", "ok", 30, 10,
       {Tag("otel.status_code", "OK"), Tag("error", false)}},
  }));
  EXPECT_TRUE(trace.spans[0].error);
  EXPECT_TRUE(trace.spans[1].error);
  EXPECT_TRUE(trace.spans[2].error);
  EXPECT_FALSE(trace.spans[3].error);
  EXPECT_EQ(trace.ErrorCount(), 3u);
}

TEST(InvestigateTraceModel, FollowsFromLinksAndOtherTracesAreNotParents) {
  json trace_json = TraceJson({{"0000000000000001", "", "s", "root", 0, 100},
                               {"0000000000000002", "", "s", "linked", 10, 10}});
  trace_json["spans"][1]["references"] = json::array(
      {{{"refType", "FOLLOWS_FROM"}, {"traceID", kTraceId}, {"spanID", "0000000000000001"}},
       {{"refType", "CHILD_OF"}, {"traceID", "ffffffffffffffffffffffffffffffff"},
        {"spanID", "0000000000000009"}}});
  const Trace trace = ParseOrFail(trace_json);
  EXPECT_EQ(trace.roots.size(), 2u);
  EXPECT_EQ(trace.spans[1].parent_span_id, "");
  EXPECT_FALSE(trace.spans[1].orphan());
}

TEST(InvestigateTraceModel, AReferenceCycleIsCutNotLooped) {
  const Trace trace = ParseOrFail(TraceJson({
      {"0000000000000001", "", "s", "root", 0, 100},
      {"0000000000000002", "0000000000000003", "s", "a", 10, 10},
      {"0000000000000003", "0000000000000002", "s", "b", 20, 10},
  }));
  EXPECT_EQ(trace.tree_order.size(), 3u);
  ASSERT_EQ(trace.roots.size(), 2u);
  EXPECT_EQ(trace.spans[trace.roots[1]].operation, "a");
  EXPECT_EQ(trace.Root()->operation, "root");
}

TEST(InvestigateTraceModel, EmbeddedProcessAndUnknownService) {
  json trace_json = TraceJson({{"0000000000000001", "", "s", "root", 0, 100},
                               {"0000000000000002", "0000000000000001", "s", "child", 1, 1}});
  trace_json["spans"][0].erase("processID");
  trace_json["spans"][0]["process"] = {{"serviceName", "embedded"}};
  trace_json["spans"][1]["processID"] = "p404";
  const Trace trace = ParseOrFail(trace_json);
  EXPECT_EQ(trace.spans[0].service, "embedded");
  EXPECT_EQ(trace.spans[1].service, "unknown-service");
}

TEST(InvestigateTraceModel, MalformedSpansAreParseErrors) {
  auto error_for = [](json trace_json) {
    auto parsed = ParseJaegerTrace(trace_json);
    return std::holds_alternative<ParseError>(parsed) ? std::get<ParseError>(parsed).message
                                                      : std::string("no error");
  };
  json base = TraceJson({{"0000000000000001", "", "s", "root", 0, 100}});
  json no_id = base;
  no_id["spans"][0].erase("spanID");
  EXPECT_THAT(error_for(no_id), HasSubstr("a span has no \"spanID\""));
  json text_time = base;
  text_time["spans"][0]["startTime"] = "soon";
  EXPECT_THAT(error_for(text_time), HasSubstr("\"startTime\" is not an integer"));
  json negative = base;
  negative["spans"][0]["duration"] = -5;
  EXPECT_THAT(error_for(negative), HasSubstr("negative duration"));
  json bad_tags = base;
  bad_tags["spans"][0]["tags"] = "x";
  EXPECT_THAT(error_for(bad_tags), HasSubstr("\"tags\" is not an array"));
  EXPECT_THAT(error_for(json::array()), HasSubstr("not a JSON object"));
}

TEST(InvestigateTraceModel, AnswerWithoutDataOrWithEmptyTracesIsEmpty) {
  auto count = [](const json& answer) {
    auto parsed = ParseJaegerAnswer(answer);
    return std::holds_alternative<std::vector<Trace>>(parsed)
               ? static_cast<int>(std::get<std::vector<Trace>>(parsed).size())
               : -1;
  };
  EXPECT_EQ(count(json{{"data", nullptr}}), 0);
  EXPECT_EQ(count(json{{"data", json::array({{{"traceID", kTraceId}, {"spans", json::array()}}})}}),
            0);
  EXPECT_EQ(count(json{{"data", json::array({TraceJson(HotOrderSpecs())})}}), 1);
  EXPECT_EQ(count(json{{"data", "x"}}), -1);
  EXPECT_EQ(count(json::array()), -1);
}

TEST(InvestigateDisplayValue, StringsBareOthersAsJson) {
  EXPECT_EQ(DisplayValue(json("text")), "text");
  EXPECT_EQ(DisplayValue(json(42)), "42");
  EXPECT_EQ(DisplayValue(json(true)), "true");
  EXPECT_EQ(DisplayValue(json(1.5)), "1.5");
}

}  // namespace
}  // namespace hotorder::investigate
