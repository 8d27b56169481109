#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/otlp_decode.hpp"
#include "support/otlp_sample_batch.hpp"
#include "telemetry/otlp/otlp_encoding.hpp"

namespace hotorder::telemetry::otlp {
namespace {

using nlohmann::json;
using test::DecodedSpan;

std::string Encode(const std::vector<std::unique_ptr<SpanData>>& batch) {
  std::string out;
  EncodeJson(batch, out);
  return out;
}

// Parses strictly (nlohmann rejects invalid UTF-8 and bad escapes); fails the test otherwise.
json Parse(const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(doc.is_discarded()) << "not valid JSON: " << text;
  return doc;
}

const json& FirstSpan(const json& doc) { return doc["resourceSpans"][0]["scopeSpans"][0]["spans"][0]; }

std::vector<std::unique_ptr<SpanData>> OneRichSpan(const Resource& resource,
                                                   const InstrumentationScope& scope) {
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::RichSpan(&resource, &scope));
  return batch;
}

TEST(OtlpJson, EmptyBatchIsAnEmptyObject) {
  std::string out = "stale";
  EncodeJson({}, out);
  EXPECT_EQ(out, "{}");
  const auto decoded = test::DecodeOtlpJson(out);
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->empty());
}

TEST(OtlpJson, UsesOtlpJsonFieldNamesAndValueForms) {
  const Resource resource{{{"service.name", "api-gateway"}}, "https://example.com/r"};
  const InstrumentationScope scope{"hotorder.http", "0.1.0", ""};
  const auto batch = OneRichSpan(resource, scope);
  const json doc = Parse(Encode(batch));
  ASSERT_TRUE(doc.is_object());

  const json& rs = doc["resourceSpans"][0];
  EXPECT_EQ(rs["resource"]["attributes"][0]["key"], "service.name");
  EXPECT_EQ(rs["resource"]["attributes"][0]["value"]["stringValue"], "api-gateway");
  EXPECT_EQ(rs["schemaUrl"], "https://example.com/r");
  EXPECT_EQ(rs["scopeSpans"][0]["scope"]["name"], "hotorder.http");
  EXPECT_EQ(rs["scopeSpans"][0]["scope"]["version"], "0.1.0");

  const json& span = FirstSpan(doc);
  // Ids: lowercase hex, not base64 (OTLP/JSON deviation from the proto3 mapping).
  EXPECT_EQ(span["traceId"], "101112131415161718191a1b1c1d1e1f");
  EXPECT_EQ(span["spanId"], test::SampleSpanId(1).ToHex());
  EXPECT_EQ(span["parentSpanId"], test::SampleSpanId(9).ToHex());
  EXPECT_EQ(span["traceState"], "vendor=abc,other=x-1");
  // Enums as integers; 32-bit integers as numbers; 64-bit integers as decimal strings.
  EXPECT_EQ(span["kind"], 2);
  EXPECT_EQ(span["flags"], 0x301);
  EXPECT_EQ(span["startTimeUnixNano"], "1700000000000001000");
  EXPECT_EQ(span["endTimeUnixNano"], "1700000000002500000");
  EXPECT_EQ(span["droppedAttributesCount"], 3);
  EXPECT_EQ(span["droppedEventsCount"], 4);
  EXPECT_EQ(span["droppedLinksCount"], 5);
  EXPECT_EQ(span["status"]["code"], 2);
  EXPECT_EQ(span["status"]["message"], "stock reservation failed");
  EXPECT_EQ(span["name"], "POST /api/orders");

  const json& attributes = span["attributes"];
  auto value_of = [&](const std::string& key) {
    for (const auto& kv : attributes) {
      if (kv["key"] == key) return kv["value"];
    }
    ADD_FAILURE() << "no attribute " << key;
    return json();
  };
  EXPECT_EQ(value_of("str"), json({{"stringValue", "hello"}}));
  EXPECT_EQ(value_of("str.empty"), json({{"stringValue", ""}}));
  EXPECT_EQ(value_of("bool.false"), json({{"boolValue", false}}));
  EXPECT_EQ(value_of("int.positive"), json({{"intValue", "1234567890123"}}));
  EXPECT_EQ(value_of("int.zero"), json({{"intValue", "0"}}));
  EXPECT_EQ(value_of("int.negative"), json({{"intValue", "-42"}}));
  EXPECT_EQ(value_of("double"), json({{"doubleValue", 3.25}}));
  EXPECT_EQ(value_of("array.int")["arrayValue"]["values"][2], json({{"intValue", "300000"}}));
  EXPECT_EQ(value_of("array.bool")["arrayValue"]["values"][1], json({{"boolValue", false}}));
  EXPECT_EQ(value_of("array.str")["arrayValue"]["values"][1], json({{"stringValue", ""}}));
  EXPECT_EQ(value_of("array.empty"), json({{"arrayValue", json::object()}}));

  const json& event = span["events"][0];
  EXPECT_EQ(event["name"], "slow-index-scan-detected");
  EXPECT_EQ(event["timeUnixNano"], "1700000000000002000");
  EXPECT_EQ(event["droppedAttributesCount"], 1);
  const json& link = span["links"][0];
  EXPECT_EQ(link["traceId"], test::SampleTraceId(2).ToHex());
  EXPECT_EQ(link["spanId"], test::SampleSpanId(2).ToHex());
  EXPECT_EQ(link["traceState"], "k=v");
  EXPECT_EQ(link["flags"], 0x301);
  EXPECT_EQ(link["droppedAttributesCount"], 2);
}

TEST(OtlpJson, OmitsDefaultValues) {
  const Resource resource;
  const InstrumentationScope scope;
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::PlainSpan(1, "plain", &resource, &scope));
  batch[0]->parent_span_id = SpanId();
  const json span = FirstSpan(Parse(Encode(batch)));
  for (const char* absent : {"parentSpanId", "traceState", "attributes", "events", "links",
                             "status", "droppedAttributesCount", "droppedEventsCount",
                             "droppedLinksCount"}) {
    EXPECT_FALSE(span.contains(absent)) << absent;
  }
  EXPECT_EQ(span["flags"], 0x101);  // remoteness is known (not remote), so flags are never 0
}

TEST(OtlpJson, EscapesQuotesBackslashesAndControlCharacters) {
  const Resource resource;
  const InstrumentationScope scope;
  std::vector<std::unique_ptr<SpanData>> batch;
  std::string tricky = "say \"hi\" \\ path\n\t\r\b\f";
  tricky += '\0';
  tricky += "\x01\x1f\x7f/</script>";
  batch.push_back(test::PlainSpan(1, tricky, &resource, &scope));
  batch[0]->attributes = {{"quote\"key", tricky}};
  const std::string text = Encode(batch);

  EXPECT_NE(text.find(R"(say \"hi\" \\ path\n\t\r\b\f\u0000\u0001\u001f)"), std::string::npos)
      << text;
  for (unsigned char c : text) EXPECT_GE(c, 0x20) << "raw control character in output";
  const json span = FirstSpan(Parse(text));
  EXPECT_EQ(span["name"], tricky);
  EXPECT_EQ(span["attributes"][0]["key"], "quote\"key");
  EXPECT_EQ(span["attributes"][0]["value"]["stringValue"], tricky);
}

TEST(OtlpJson, ReplacesInvalidUtf8SoOutputIsAlwaysValid) {
  const Resource resource{{{"service.name", "svc\xC3"}}, ""};
  const InstrumentationScope scope;
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::PlainSpan(1, "ok \xE2\x82\xAC bad \xFF\xFE end \xF0\x9F\x98", &resource,
                                  &scope));
  batch[0]->attributes = {{"k\x80", std::vector<std::string>{"\xED\xA0\x80", "\xF0\x9F\x98\x80"}}};
  const std::string text = Encode(batch);
  const json doc = Parse(text);  // nlohmann rejects invalid UTF-8, so this is the real check
  const json& span = FirstSpan(doc);
  EXPECT_EQ(span["name"], "ok \xE2\x82\xAC bad \xEF\xBF\xBD\xEF\xBF\xBD end \xEF\xBF\xBD");
  EXPECT_EQ(span["attributes"][0]["key"], "k\xEF\xBF\xBD");
  EXPECT_EQ(span["attributes"][0]["value"]["arrayValue"]["values"][0]["stringValue"],
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(span["attributes"][0]["value"]["arrayValue"]["values"][1]["stringValue"],
            "\xF0\x9F\x98\x80");
  EXPECT_EQ(doc["resourceSpans"][0]["resource"]["attributes"][0]["value"]["stringValue"],
            "svc\xEF\xBF\xBD");
}

TEST(OtlpJson, DoublesRoundTripAndNonFiniteAreStrings) {
  const Resource resource;
  const InstrumentationScope scope;
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::PlainSpan(1, "d", &resource, &scope));
  batch[0]->attributes = {
      {"nan", std::numeric_limits<double>::quiet_NaN()},
      {"inf", std::numeric_limits<double>::infinity()},
      {"ninf", -std::numeric_limits<double>::infinity()},
      {"tenth", 0.1},
      {"huge", 1e300},
      {"tiny", 5e-324},
      {"whole", 3.0},
      {"arr", std::vector<double>{std::numeric_limits<double>::quiet_NaN(), 2.5}},
  };
  const std::string text = Encode(batch);
  const json span = FirstSpan(Parse(text));
  EXPECT_EQ(span["attributes"][0]["value"]["doubleValue"], "NaN");
  EXPECT_EQ(span["attributes"][1]["value"]["doubleValue"], "Infinity");
  EXPECT_EQ(span["attributes"][2]["value"]["doubleValue"], "-Infinity");
  EXPECT_EQ(span["attributes"][3]["value"]["doubleValue"].get<double>(), 0.1);
  EXPECT_EQ(span["attributes"][4]["value"]["doubleValue"].get<double>(), 1e300);
  EXPECT_EQ(span["attributes"][5]["value"]["doubleValue"].get<double>(), 5e-324);
  EXPECT_EQ(span["attributes"][6]["value"]["doubleValue"].get<double>(), 3.0);
  EXPECT_EQ(span["attributes"][7]["value"]["arrayValue"]["values"][0]["doubleValue"], "NaN");

  const auto decoded = test::DecodeOtlpJson(text);
  ASSERT_TRUE(decoded);
  const auto& attrs = (*decoded)[0].attributes;
  EXPECT_TRUE(std::isnan(std::get<double>(attrs[0].value.variant())));
  EXPECT_EQ(std::get<double>(attrs[1].value.variant()), std::numeric_limits<double>::infinity());
  EXPECT_EQ(std::get<double>(attrs[2].value.variant()), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(attrs[3].value, AttributeValue(0.1));
  EXPECT_EQ(attrs[6].value, AttributeValue(3.0));
}

TEST(OtlpJson, DecodesToTheSameSpansAsProtobuf) {
  test::InterleavedBatch interleaved;
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::RichSpan(&interleaved.gateway, &interleaved.http));
  for (auto& span : interleaved.spans) batch.push_back(std::move(span));
  batch.back()->status = Status{StatusCode::kOk, ""};

  std::string json_text;
  EncodeJson(batch, json_text);
  std::string proto_bytes;
  EncodeProtobuf(batch, proto_bytes);
  const auto from_json = test::DecodeOtlpJson(json_text);
  const auto from_proto = test::DecodeOtlpProtobuf(proto_bytes);
  ASSERT_TRUE(from_json);
  ASSERT_TRUE(from_proto);
  ASSERT_EQ(from_json->size(), 7u);
  ASSERT_EQ(from_json->size(), from_proto->size());
  for (std::size_t i = 0; i < from_json->size(); ++i) {
    SCOPED_TRACE((*from_proto)[i].name);
    EXPECT_TRUE((*from_json)[i] == (*from_proto)[i]);
  }
  // Grouping is the same as for protobuf: r1{s1[rich,g1,g3], s2[g2]}, r2{s1[o1,o3], s2[o2]}.
  std::vector<std::string> names;
  for (const auto& span : *from_json) names.push_back(span.name);
  EXPECT_EQ(names, (std::vector<std::string>{"POST /api/orders", "g1", "g3", "g2", "o1", "o3",
                                             "o2"}));
  EXPECT_EQ((*from_json)[3].scope_index, 1u);
  EXPECT_EQ((*from_json)[4].resource_index, 1u);

  // And the field values survive, spot-checked against the source.
  const DecodedSpan& rich = (*from_json)[0];
  EXPECT_EQ(rich.attributes, test::AllAttributeTypes());
  EXPECT_EQ(rich.flags, 0x301u);
  EXPECT_EQ(rich.links[1].flags, 0x100u);
  EXPECT_EQ(rich.events[0].attributes[1].value, AttributeValue(120000));
}

// ---- responses --------------------------------------------------------------------------------

TEST(OtlpJsonResponse, ReadsRejectedSpansAsStringOrNumber) {
  auto partial =
      DecodeJsonResponse(R"({"partialSuccess":{"rejectedSpans":"12","errorMessage":"too old"}})");
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->rejected_spans, 12);
  EXPECT_EQ(partial->error_message, "too old");

  partial = DecodeJsonResponse(R"({"partialSuccess":{"rejectedSpans":7}})");
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->rejected_spans, 7);
  EXPECT_EQ(partial->error_message, "");

  partial = DecodeJsonResponse(R"({"partialSuccess":{"errorMessage":"warning only"}})");
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->rejected_spans, 0);
  EXPECT_EQ(partial->error_message, "warning only");
}

TEST(OtlpJsonResponse, NoPartialSuccessOrUnreadableBodyIsNullopt) {
  EXPECT_FALSE(DecodeJsonResponse(""));
  EXPECT_FALSE(DecodeJsonResponse("{}"));
  EXPECT_FALSE(DecodeJsonResponse("not json"));
  EXPECT_FALSE(DecodeJsonResponse("[1,2]"));
  EXPECT_FALSE(DecodeJsonResponse(R"({"partialSuccess":{"rejectedSpans":"12x"}})"));
  EXPECT_FALSE(DecodeJsonResponse(R"({"partialSuccess":{"rejectedSpans":true}})"));
  EXPECT_FALSE(DecodeJsonResponse(R"({"partialSuccess":5})"));
}

// ---- the test decoder's JSON side -------------------------------------------------------------

TEST(OtlpJsonTestDecoder, AcceptsUnknownFieldsNumbersForInt64AndUppercaseIds) {
  const std::string body = R"({
    "resourceSpans": [{
      "futureField": {"x": 1},
      "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "s"}}]},
      "scopeSpans": [{
        "scope": {"name": "n"},
        "spans": [{
          "traceId": "5B8EFFF798038103D269B633813FC60C",
          "spanId": "EEE19B7EC3C1B174",
          "name": "x",
          "kind": 3,
          "startTimeUnixNano": 1000,
          "endTimeUnixNano": "2000",
          "attributes": [
            {"key": "b", "value": {"bytesValue": "aGk="}},
            {"key": "kv", "value": {"kvlistValue": {"values": [{"key": "a", "value": {"intValue": 1}}]}}},
            {"key": "mixed", "value": {"arrayValue": {"values": [{"intValue": "1"}, {"stringValue": "a"}]}}}
          ],
          "somethingNew": [1, 2, 3]
        }]
      }]
    }]
  })";
  const auto spans = test::DecodeOtlpJson(body);
  ASSERT_TRUE(spans);
  ASSERT_EQ(spans->size(), 1u);
  const DecodedSpan& span = (*spans)[0];
  EXPECT_EQ(span.trace_id_hex, "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(span.span_id_hex, "eee19b7ec3c1b174");
  EXPECT_EQ(span.kind, 3);
  EXPECT_EQ(span.start_ns, 1000u);
  EXPECT_EQ(span.end_ns, 2000u);
  EXPECT_EQ(span.attributes[0].value, AttributeValue("hi"));
  EXPECT_EQ(span.attributes[1].value, AttributeValue("{a:1}"));
  EXPECT_EQ(span.attributes[2].value, AttributeValue("[1,\"a\"]"));
  EXPECT_EQ(span.scope_name, "n");
}

TEST(OtlpJsonTestDecoder, RejectsMalformedRequests) {
  EXPECT_FALSE(test::DecodeOtlpJson("{"));
  EXPECT_FALSE(test::DecodeOtlpJson(R"({"resourceSpans": 5})"));
  EXPECT_FALSE(test::DecodeOtlpJson(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"abc","spanId":"0102030405060708"}]}]}]})"));
  EXPECT_FALSE(test::DecodeOtlpJson(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"EAQUEhMUFRYXGBkaGxwdHg==","spanId":"0102030405060708"}]}]}]})"));
  EXPECT_FALSE(test::DecodeOtlpJson(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"101112131415161718191a1b1c1d1e1f","spanId":"0102030405060708","kind":"SERVER"}]}]}]})"));
  EXPECT_TRUE(test::DecodeOtlpJson(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"101112131415161718191a1b1c1d1e1f","spanId":"0102030405060708","kind":2}]}]}]})"));
}

}  // namespace
}  // namespace hotorder::telemetry::otlp
