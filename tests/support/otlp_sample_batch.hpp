#pragma once
// Hand-built SpanData for encoder tests: fixed ids and times, every attribute type, events,
// links, statuses, and spans from two resources and two instrumentation scopes interleaved.
// Resource and scope objects live in the batch object, which must outlive its spans' use.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "telemetry/span_data.hpp"

namespace hotorder::test {

inline telemetry::TraceId SampleTraceId(std::uint8_t seed) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<std::uint8_t>(seed * 16 + i);
  }
  return telemetry::TraceId(bytes);
}

inline telemetry::SpanId SampleSpanId(std::uint8_t seed) {
  std::array<std::uint8_t, 8> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<std::uint8_t>(0xA0 + seed + i);
  }
  return telemetry::SpanId(bytes);
}

inline telemetry::Timestamp SampleTime(std::int64_t nanos) {
  return telemetry::Timestamp(std::chrono::nanoseconds(nanos));
}

// 2023-11-14T22:13:20Z in ns: large enough to need all 8 bytes of fixed64 meaningfully.
inline constexpr std::int64_t kSampleEpochNs = 1'700'000'000'000'000'000;

// One attribute of every type the SDK supports, including arrays and edge values.
inline telemetry::Attributes AllAttributeTypes() {
  return {
      {"str", "hello"},
      {"str.empty", ""},
      {"bool.true", true},
      {"bool.false", false},
      {"int.positive", std::int64_t{1234567890123}},
      {"int.zero", 0},
      {"int.negative", -42},
      {"double", 3.25},
      {"double.negative", -0.5},
      {"array.str", std::vector<std::string>{"a", "", "c"}},
      {"array.bool", std::vector<bool>{true, false, true}},
      {"array.int", std::vector<std::int64_t>{1, -2, 300000}},
      {"array.double", std::vector<double>{1.5, -2.25}},
      {"array.empty", std::vector<std::string>{}},
  };
}

// A server span with a remote parent and everything set.
inline std::unique_ptr<telemetry::SpanData> RichSpan(const telemetry::Resource* resource,
                                                     const telemetry::InstrumentationScope* scope) {
  auto span = std::make_unique<telemetry::SpanData>();
  span->context = telemetry::SpanContext(
      SampleTraceId(1), SampleSpanId(1), telemetry::TraceFlags::kSampled, false,
      telemetry::TraceState::FromHeader("vendor=abc,other=x-1"));
  span->parent_span_id = SampleSpanId(9);
  span->parent_is_remote = true;
  span->name = "POST /api/orders";
  span->kind = telemetry::SpanKind::kServer;
  span->start_time = SampleTime(kSampleEpochNs + 1000);
  span->end_time = SampleTime(kSampleEpochNs + 2'500'000);
  span->attributes = AllAttributeTypes();
  span->dropped_attributes_count = 3;
  span->events.push_back(telemetry::SpanEvent{
      "slow-index-scan-detected",
      SampleTime(kSampleEpochNs + 2000),
      {{"db.index", "orders_customer_idx"}, {"db.rows_scanned", 120000}},
      1});
  span->events.push_back(telemetry::SpanEvent{"bare", SampleTime(kSampleEpochNs + 3000), {}, 0});
  span->dropped_events_count = 4;
  span->links.push_back(telemetry::SpanLink{
      telemetry::SpanContext(SampleTraceId(2), SampleSpanId(2), telemetry::TraceFlags::kSampled,
                             true, telemetry::TraceState::FromHeader("k=v")),
      {{"link.reason", "retry"}},
      2});
  span->links.push_back(telemetry::SpanLink{
      telemetry::SpanContext(SampleTraceId(3), SampleSpanId(3), 0, false), {}, 0});
  span->dropped_links_count = 5;
  span->status = telemetry::Status{telemetry::StatusCode::kError, "stock reservation failed"};
  span->resource = resource;
  span->scope = scope;
  return span;
}

// A minimal span: ids, name, kind and times.
inline std::unique_ptr<telemetry::SpanData> PlainSpan(std::uint8_t seed, std::string name,
                                                      const telemetry::Resource* resource,
                                                      const telemetry::InstrumentationScope* scope) {
  auto span = std::make_unique<telemetry::SpanData>();
  span->context = telemetry::SpanContext(SampleTraceId(1), SampleSpanId(seed),
                                         telemetry::TraceFlags::kSampled, false);
  span->parent_span_id = SampleSpanId(1);
  span->name = std::move(name);
  span->kind = telemetry::SpanKind::kInternal;
  span->start_time = SampleTime(kSampleEpochNs + seed * 10);
  span->end_time = SampleTime(kSampleEpochNs + seed * 10 + 5);
  span->resource = resource;
  span->scope = scope;
  return span;
}

// Two services' resources and two scopes, spans interleaved across them:
//   batch order: g1(r1,s1) o1(r2,s1) g2(r1,s2) g3(r1,s1) o2(r2,s2) o3(r2,s1)
//   OTLP order:  r1{ s1[g1,g3], s2[g2] }, r2{ s1[o1,o3], s2[o2] }
struct InterleavedBatch {
  telemetry::Resource gateway{{{"service.name", "api-gateway"}}, "https://example.com/r1"};
  telemetry::Resource orders{{{"service.name", "order-service"}, {"service.instance.id", 7}}, ""};
  telemetry::InstrumentationScope http{"hotorder.http", "0.1.0", "https://example.com/s1"};
  telemetry::InstrumentationScope db{"hotorder.db", "", ""};
  std::vector<std::unique_ptr<telemetry::SpanData>> spans;

  InterleavedBatch() {
    spans.push_back(PlainSpan(11, "g1", &gateway, &http));
    spans.push_back(PlainSpan(21, "o1", &orders, &http));
    spans.push_back(PlainSpan(12, "g2", &gateway, &db));
    spans.push_back(PlainSpan(13, "g3", &gateway, &http));
    spans.push_back(PlainSpan(22, "o2", &orders, &db));
    spans.push_back(PlainSpan(23, "o3", &orders, &http));
  }
  InterleavedBatch(const InterleavedBatch&) = delete;
  InterleavedBatch& operator=(const InterleavedBatch&) = delete;
};

}  // namespace hotorder::test
