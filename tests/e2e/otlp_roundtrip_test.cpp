// End-to-end conformance of the SDK's OTLP output: the real SDK (TracerProvider, span
// processors, OtlpHttpExporter) sends a trace to HotOrder's real OpenTelemetry Collector
// (collector-config/otelcol-all.yaml), which forwards it to a real Jaeger v2
// (collector-config/jaeger.yaml); the test reads the trace back from Jaeger's query APIs and
// compares it field by field with what it recorded.
//
// Two read paths, because they show different things:
// - /api/traces/{id} (the "v1" JSON the Jaeger UI uses) is Jaeger's own model, converted from
//   OTLP by the Collector contrib translator (pkg/translator/jaeger, traces_to_jaegerproto.go):
//   microsecond times, tags with a type, kind/status/scope as synthesized tags, links as
//   FOLLOWS_FROM references without their attributes, arrays flattened to JSON strings.
// - /api/v3/traces/{id} answers OTLP/JSON under "result". Jaeger v2's memory store keeps the
//   OTLP data as received, so v3 shows nanoseconds, typed arrays, link attributes and flags
//   exactly: that is where the encoding itself is checked most strictly.
//
// Needs OTELCOL_BIN and JAEGER_BIN (`./hotorder test` sets them). Without them every test FAILS
// with a message saying what is missing: an end-to-end test that skips proves nothing.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/env.hpp"
#include "support/tracing_backend.hpp"
#include "telemetry/diagnostics.hpp"
#include "telemetry/otlp/otlp_exporter_options.hpp"
#include "telemetry/otlp/otlp_http_exporter.hpp"
#include "telemetry/processor/batch_span_processor.hpp"
#include "telemetry/processor/simple_span_processor.hpp"
#include "telemetry/resource.hpp"
#include "telemetry/tracer_provider.hpp"

namespace hotorder {
namespace {

using nlohmann::json;
using telemetry::Attributes;
using telemetry::AttributeValue;
using telemetry::Context;
using telemetry::SpanKind;
using telemetry::StatusCode;
using telemetry::Timestamp;
using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------------
// The SDK's own warnings and errors (export failures, partial success), collected so a test can
// require that a clean export against the real Collector reports nothing.

class SdkWarnings {
 public:
  static void Install() {
    telemetry::SetDiagnosticSink([](telemetry::DiagnosticLevel level, std::string_view message) {
      std::fprintf(stderr, "hotorder-telemetry: %.*s\n", static_cast<int>(message.size()),
                   message.data());
      if (level < telemetry::DiagnosticLevel::kWarn) return;
      std::lock_guard lock(mutex_);
      messages_.emplace_back(message);
    });
  }
  static std::vector<std::string> Take() {
    std::lock_guard lock(mutex_);
    return std::exchange(messages_, {});
  }

 private:
  static inline std::mutex mutex_;
  static inline std::vector<std::string> messages_;
};

// ---------------------------------------------------------------------------------------------
// The backend, started once for the whole executable.

class BackendEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    SdkWarnings::Install();
    backend_ = std::make_unique<test::TracingBackend>();
    if (!backend_->Start()) error_ = backend_->error();
  }
  void TearDown() override {
    backend_.reset();
    telemetry::SetDiagnosticSink(nullptr);
  }

  // Null (with the reason in `error`) when the backend did not start.
  static test::TracingBackend* Backend(std::string& error) {
    error = error_;
    return error_.empty() ? backend_.get() : nullptr;
  }

 private:
  static inline std::unique_ptr<test::TracingBackend> backend_;
  static inline std::string error_;
};

[[maybe_unused]] ::testing::Environment* const kBackendEnvironment =
    ::testing::AddGlobalTestEnvironment(new BackendEnvironment);

constexpr auto kExportTimeout = 10s;
constexpr auto kJaegerTimeout = 20s;

// ---------------------------------------------------------------------------------------------
// What the test recorded, to compare with what Jaeger returns.

struct ExpectedEvent {
  std::string name;
  Timestamp earliest;  // == latest for an explicit time; a window for RecordException's "now"
  Timestamp latest;
  Attributes attributes;
};

struct ExpectedLink {
  telemetry::SpanContext context;
  Attributes attributes;
};

struct ExpectedSpan {
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  telemetry::SpanContext context;
  std::string parent_span_id_hex;  // empty for a root
  bool parent_is_remote = false;
  Timestamp start;
  Timestamp end;
  Attributes attributes;
  std::vector<ExpectedEvent> events;
  std::vector<ExpectedLink> links;
  StatusCode status = StatusCode::kUnset;
  std::string status_description;
  std::string scope_name;
  std::string scope_version;
};

struct ExportedTrace {
  std::string trace_id_hex;
  std::vector<ExpectedSpan> spans;  // the trace under test
  ExpectedSpan upstream;            // another trace, target of a link
  std::string service_name;
  Attributes resource;
  bool flushed = false;
  bool shut_down = false;
  telemetry::SdkCountersSnapshot provider_counters;
  telemetry::SdkCountersSnapshot processor_counters;
  telemetry::SdkCountersSnapshot exporter_counters;

  const ExpectedSpan& Span(std::string_view name) const {
    for (const auto& span : spans) {
      if (span.name == name) return span;
    }
    throw std::out_of_range("no expected span " + std::string(name));
  }
};

struct RoundTripParam {
  const char* test_name;
  const char* service_suffix;
  telemetry::otlp::Protocol protocol;
  telemetry::otlp::Compression compression;
  bool batch_processor;
};

// Names the case in gtest's output instead of dumping the struct's bytes.
void PrintTo(const RoundTripParam& param, std::ostream* out) { *out << param.test_name; }

std::int64_t Nanos(Timestamp time) { return time.time_since_epoch().count(); }

// Jaeger's v1 model keeps microseconds: times are truncated (time.Time -> µs since epoch).
std::int64_t Micros(Timestamp time) { return Nanos(time) / 1000; }

// Every attribute type OTLP has for span attributes, with values that catch lossy encoders:
// extreme integers (JSON intValue must be a string), doubles that need 17 significant digits,
// an empty string (a oneof that must still be present), and text needing JSON escapes.
const std::string kTricky = "quote\" backslash\\ unicode é ✓ tab\t newline\n bell\x07";

Attributes AllTypes(std::string_view prefix) {
  const std::string p(prefix);
  return {
      {p + ".string", kTricky},
      {p + ".empty_string", ""},
      {p + ".bool_true", true},
      {p + ".bool_false", false},
      {p + ".int", std::int64_t{-42}},
      {p + ".int_max", std::numeric_limits<std::int64_t>::max()},
      {p + ".int_min", std::numeric_limits<std::int64_t>::min()},
      {p + ".double", 0.1 + 0.2},
      {p + ".double_tiny", -1.5e-300},
      {p + ".double_whole", 2.0},
      {p + ".string_array", std::vector<std::string>{"a", kTricky, ""}},
      {p + ".bool_array", std::vector<bool>{true, false, true}},
      {p + ".int_array",
       std::vector<std::int64_t>{1, -2, std::numeric_limits<std::int64_t>::max()}},
      {p + ".double_array", std::vector<double>{1.5, -0.25, 1e300}},
  };
}

// Builds the trace with the real SDK, exports it through the Collector, and records what was
// sent. The tree (all five kinds, two instrumentation scopes):
//
//   POST /api/orders            SERVER    root, every attribute type, event, link to upstream,
//   |                                     status ERROR with a tricky description
//   +- validate-order           INTERNAL  status OK
//   +- POST /reserve            CLIENT    RecordException, link added after start, ERROR
//   +- publish order.created    PRODUCER  (scope hotorder.e2e.messaging)
//      +- consume commande.créée ✓  CONSUMER  (scope hotorder.e2e.messaging)
//   upstream batch              INTERNAL  in a trace of its own
ExportedTrace ExportTrace(const RoundTripParam& param, const std::string& collector_url) {
  ExportedTrace out;
  out.service_name = std::string("roundtrip-test-") + param.service_suffix;

  // Counters are kept apart per component: each documents which counters it owns, and keeping
  // them apart lets the test check each one's account on its own.
  auto provider_counters = std::make_shared<telemetry::SdkCounters>();
  telemetry::SdkCounters processor_counters;
  telemetry::SdkCounters exporter_counters;

  telemetry::otlp::OtlpExporterOptions exporter_options;
  exporter_options.endpoint_url = collector_url + "/v1/traces";
  exporter_options.protocol = param.protocol;
  exporter_options.compression = param.compression;
  exporter_options.timeout = 10000ms;
  auto exporter =
      std::make_unique<telemetry::otlp::OtlpHttpExporter>(exporter_options, &exporter_counters);

  std::unique_ptr<telemetry::SpanProcessor> processor;
  if (param.batch_processor) {
    processor = std::make_unique<telemetry::BatchSpanProcessor>(
        std::move(exporter), telemetry::BatchSpanProcessorOptions{}, &processor_counters);
  } else {
    processor =
        std::make_unique<telemetry::SimpleSpanProcessor>(std::move(exporter), &processor_counters);
  }

  const config::EnvReader env(config::FixedEnv({
      {"OTEL_RESOURCE_ATTRIBUTES",
       "deployment.environment.name=e2e,team=tracing%20team,custom.unicode=caf%C3%A9%20%E2%9C%93"},
  }));
  // Typed resource attributes (the environment can only give strings).
  const telemetry::Resource typed{{
                                      {"custom.int", std::int64_t{7}},
                                      {"custom.bool", true},
                                      {"custom.double", 2.5},
                                      {"custom.array", std::vector<std::string>{"x", "y"}},
                                  },
                                  {}};
  telemetry::TracerProviderOptions options;
  options.resource = telemetry::BuildResource(env, out.service_name, "1.2.3").Merge(typed);
  options.processor = std::move(processor);
  options.counters = provider_counters;
  telemetry::TracerProvider provider(std::move(options));
  out.resource = provider.resource().attributes;

  auto& api = provider.GetTracer("hotorder.e2e.roundtrip", "1.0.0");
  auto& messaging = provider.GetTracer("hotorder.e2e.messaging", "0.3.1");

  // Explicit times with sub-microsecond parts, so the test sees exactly what each API keeps.
  const auto base = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) -
                    2s + 123456789ns;
  auto at = [&](std::chrono::nanoseconds offset) { return Timestamp(base + offset); };

  auto record = [](telemetry::Span& span, ExpectedSpan expected, const Context& parent,
                   const telemetry::Tracer& tracer) {
    expected.context = span.context();
    if (parent.span.IsValid()) {
      expected.parent_span_id_hex = parent.span.span_id().ToHex();
      expected.parent_is_remote = parent.span.IsRemote();
    }
    expected.scope_name = tracer.scope().name;
    expected.scope_version = tracer.scope().version;
    return expected;
  };

  // A span in another trace, for links to point at.
  ExpectedSpan upstream_expected{.name = "upstream batch", .start = at(-1s), .end = at(-500ms)};
  {
    auto span = api.StartSpan(upstream_expected.name, Context{},
                              {.kind = SpanKind::kInternal, .start_time = upstream_expected.start});
    out.upstream = record(span, upstream_expected, Context{}, api);
    span.End(upstream_expected.end);
  }

  const Context root_parent{};
  ExpectedSpan root_expected{.name = "POST /api/orders",
                             .kind = SpanKind::kServer,
                             .start = at(0ns),
                             // + 500 ns: the v1 duration is truncated on its own (see below).
                             .end = at(900ms + 500ns)};
  Attributes link_attributes{{"link.reason", "triggered-by"}, {"link.count", std::int64_t{3}}};
  auto root = api.StartSpan(
      root_expected.name, root_parent,
      {.kind = SpanKind::kServer,
       .attributes = {{"http.request.method", "POST"}},
       .links = {telemetry::SpanLink{out.upstream.context, link_attributes, 0}},
       .start_time = root_expected.start});
  root_expected.links.push_back({out.upstream.context, link_attributes});
  root_expected.attributes.push_back({"http.request.method", "POST"});
  for (auto& attribute : AllTypes("attr")) {
    root.SetAttribute(attribute.key, attribute.value);
    root_expected.attributes.push_back(attribute);
  }
  root_expected.events.push_back(
      {"order.accepted ✓", at(1ms + 1ns), at(1ms + 1ns), AllTypes("event")});
  root.AddEvent(root_expected.events.back().name, root_expected.events.back().attributes,
                root_expected.events.back().earliest);
  const Context root_context = telemetry::ContextWithSpan(root_parent, root);

  ExpectedSpan validate_expected{.name = "validate-order",
                                 .kind = SpanKind::kInternal,
                                 .start = at(10ms + 7ns),
                                 .end = at(20ms + 999ns),
                                 .attributes = {{"order.item_count", std::int64_t{3}}},
                                 .status = StatusCode::kOk};
  telemetry::SpanContext validate_context;
  {
    auto span = api.StartSpan(validate_expected.name, root_context,
                              {.kind = SpanKind::kInternal,
                               .attributes = validate_expected.attributes,
                               .start_time = validate_expected.start});
    span.SetStatus(StatusCode::kOk);
    validate_context = span.context();
    out.spans.push_back(record(span, validate_expected, root_context, api));
    span.End(validate_expected.end);
  }

  ExpectedSpan reserve_expected{.name = "POST /reserve",
                                .kind = SpanKind::kClient,
                                .start = at(30ms),
                                .end = at(400ms),
                                .status = StatusCode::kError,
                                .status_description = "reservation failed: " + kTricky};
  {
    auto span = api.StartSpan(reserve_expected.name, root_context,
                              {.kind = SpanKind::kClient, .start_time = reserve_expected.start});
    const Attributes added_link_attributes{{"link.added", "after start"}};
    span.AddLink(validate_context, added_link_attributes);
    reserve_expected.links.push_back({validate_context, added_link_attributes});
    const std::runtime_error error("stock \"low\" for café ✓");
    const Timestamp before = std::chrono::time_point_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now());
    span.RecordException(error);
    const Timestamp after = std::chrono::time_point_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now());
    reserve_expected.events.push_back({"exception",
                                       before,
                                       after,
                                       {{"exception.type", "std::runtime_error"},
                                        {"exception.message", "stock \"low\" for café ✓"}}});
    span.SetStatus(StatusCode::kError, reserve_expected.status_description);
    out.spans.push_back(record(span, reserve_expected, root_context, api));
    span.End(reserve_expected.end);
  }

  ExpectedSpan publish_expected{
      .name = "publish order.created",
      .kind = SpanKind::kProducer,
      .start = at(410ms + 1ns),
      .end = at(420ms + 2ns),
      .attributes = {{"messaging.system", "in-memory"}, {"messaging.operation.type", "send"}}};
  auto publish = messaging.StartSpan(publish_expected.name, root_context,
                                     {.kind = SpanKind::kProducer,
                                      .attributes = publish_expected.attributes,
                                      .start_time = publish_expected.start});
  const Context publish_context = telemetry::ContextWithSpan(root_context, publish);
  {
    ExpectedSpan consume_expected{
        .name = "consume commande.créée ✓",
        .kind = SpanKind::kConsumer,
        .start = at(430ms + 3ns),
        .end = at(800ms + 4ns),
        .attributes = {{"messaging.operation.type", "process"},
                       {"messaging.batch.message_count", std::int64_t{1}}}};
    auto span = messaging.StartSpan(consume_expected.name, publish_context,
                                    {.kind = SpanKind::kConsumer,
                                     .attributes = consume_expected.attributes,
                                     .start_time = consume_expected.start});
    out.spans.push_back(record(span, consume_expected, publish_context, messaging));
    span.End(consume_expected.end);
  }
  out.spans.push_back(record(publish, publish_expected, root_context, messaging));
  publish.End(publish_expected.end);

  root.SetStatus(StatusCode::kError, kTricky);
  root_expected.status = StatusCode::kError;
  root_expected.status_description = kTricky;
  out.spans.push_back(record(root, root_expected, root_parent, api));
  root.End(root_expected.end);

  out.trace_id_hex = root.context().trace_id().ToHex();
  out.flushed = provider.ForceFlush(kExportTimeout);
  out.shut_down = provider.Shutdown(kExportTimeout);
  out.provider_counters = provider_counters->Snapshot();
  out.processor_counters = processor_counters.Snapshot();
  out.exporter_counters = exporter_counters.Snapshot();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparison helpers.

// OTLP/JSON AnyValue for an attribute value (opentelemetry-proto docs/specification.md, JSON
// Protobuf Encoding: 64-bit integers are decimal strings).
json OtlpJsonValue(const AttributeValue& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          return {{"boolValue", v}};
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return {{"intValue", std::to_string(v)}};
        } else if constexpr (std::is_same_v<T, double>) {
          return {{"doubleValue", v}};
        } else if constexpr (std::is_same_v<T, std::string>) {
          return {{"stringValue", v}};
        } else {
          json values = json::array();
          for (const auto& element : v) values.push_back(OtlpJsonValue(AttributeValue(element)));
          return {{"arrayValue", {{"values", values}}}};
        }
      },
      value.variant());
}

// The array elements as plain JSON values, which is what Jaeger's v1 string holds.
json PlainJsonArray(const AttributeValue& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<bool>>) {
          json array = json::array();
          for (bool element : v) array.push_back(element);
          return array;
        } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>> ||
                             std::is_same_v<T, std::vector<double>> ||
                             std::is_same_v<T, std::vector<std::string>>) {
          return json(v);
        } else {
          return nullptr;
        }
      },
      value.variant());
}

// Checks one v1 tag ({key, type, value}) against an attribute value. The translator maps
// string/bool/int64/double to the same Jaeger types, and turns arrays (and maps) into a string
// holding their JSON rendering (pcommon.Value.AsString), so an array's type in v1 is "string".
void ExpectV1Tag(const json& tag, const AttributeValue& expected) {
  SCOPED_TRACE("v1 tag " + tag.dump());
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          EXPECT_EQ(tag.at("type"), "bool");
          EXPECT_EQ(tag.at("value"), json(v));
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          EXPECT_EQ(tag.at("type"), "int64");
          // Jaeger's UI JSON (internal/uimodel/converter/v1/json/from_domain.go) writes an int64
          // beyond JavaScript's safe integers (|v| > 2^53 - 1) as a decimal string, so a browser
          // does not round it; the type stays "int64".
          constexpr std::int64_t kJsMaxSafeInteger = (std::int64_t{1} << 53) - 1;
          if (v > kJsMaxSafeInteger || v < -kJsMaxSafeInteger) {
            EXPECT_EQ(tag.at("value"), json(std::to_string(v)));
          } else {
            ASSERT_TRUE(tag.at("value").is_number_integer());
            EXPECT_EQ(tag.at("value").template get<std::int64_t>(), v);
          }
        } else if constexpr (std::is_same_v<T, double>) {
          EXPECT_EQ(tag.at("type"), "float64");
          ASSERT_TRUE(tag.at("value").is_number());
          EXPECT_EQ(tag.at("value").template get<double>(), v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          EXPECT_EQ(tag.at("type"), "string");
          EXPECT_EQ(tag.at("value"), json(v));
        } else {
          EXPECT_EQ(tag.at("type"), "string");
          ASSERT_TRUE(tag.at("value").is_string());
          const auto parsed = json::parse(tag.at("value").template get<std::string>(), nullptr,
                                          /*allow_exceptions=*/false);
          EXPECT_EQ(parsed, PlainJsonArray(expected));
        }
      },
      expected.variant());
}

// key -> tag, failing on duplicate keys (a Jaeger span's tags are a list, not a map).
std::map<std::string, json> TagsByKey(const json& tags) {
  std::map<std::string, json> by_key;
  if (tags.is_null()) return by_key;
  for (const auto& tag : tags) {
    const auto key = tag.at("key").get<std::string>();
    EXPECT_TRUE(by_key.emplace(key, tag).second) << "duplicate tag " << key;
  }
  return by_key;
}

// The v1 list must hold exactly `expected` plus the `synthesized` keys the translator adds.
void ExpectV1Tags(const json& tags, const Attributes& expected,
                  const std::map<std::string, json>& synthesized) {
  auto by_key = TagsByKey(tags);
  for (const auto& attribute : expected) {
    auto found = by_key.find(attribute.key);
    if (found == by_key.end()) {
      ADD_FAILURE() << "missing tag " << attribute.key << " in " << tags.dump();
      continue;
    }
    ExpectV1Tag(found->second, attribute.value);
    by_key.erase(found);
  }
  for (const auto& [key, value] : synthesized) {
    auto found = by_key.find(key);
    if (found == by_key.end()) {
      ADD_FAILURE() << "missing synthesized tag " << key << " in " << tags.dump();
      continue;
    }
    EXPECT_EQ(found->second.at("value"), value) << key;
    by_key.erase(found);
  }
  for (const auto& [key, tag] : by_key) ADD_FAILURE() << "unexpected tag " << tag.dump();
}

// OTLP/JSON KeyValue list (v3) must equal `expected` exactly: same keys, values and types.
void ExpectOtlpAttributes(const json& attributes, const Attributes& expected) {
  std::map<std::string, json> by_key;
  if (!attributes.is_null()) {
    for (const auto& item : attributes) {
      const auto key = item.at("key").get<std::string>();
      EXPECT_TRUE(by_key.emplace(key, item.at("value")).second) << "duplicate key " << key;
    }
  }
  for (const auto& attribute : expected) {
    auto found = by_key.find(attribute.key);
    if (found == by_key.end()) {
      ADD_FAILURE() << "missing attribute " << attribute.key << " in " << attributes.dump();
      continue;
    }
    EXPECT_EQ(found->second, OtlpJsonValue(attribute.value)) << attribute.key;
    by_key.erase(found);
  }
  for (const auto& [key, value] : by_key) {
    ADD_FAILURE() << "unexpected attribute " << key << "=" << value.dump();
  }
}

std::string V1Kind(SpanKind kind) {
  switch (kind) {
    case SpanKind::kServer: return "server";
    case SpanKind::kClient: return "client";
    case SpanKind::kProducer: return "producer";
    case SpanKind::kConsumer: return "consumer";
    case SpanKind::kInternal: return "internal";
  }
  return "?";
}

// A JSON number or decimal string as int64 (v1 gives numbers; OTLP/JSON gives strings).
std::int64_t AsInt64(const json& value) {
  if (value.is_string()) return std::stoll(value.get<std::string>());
  return value.get<std::int64_t>();
}

::testing::AssertionResult BackendOrFailure(test::TracingBackend*& backend) {
  std::string error;
  backend = BackendEnvironment::Backend(error);
  if (backend == nullptr) {
    return ::testing::AssertionFailure()
           << "the tracing backend (real Collector + Jaeger) did not start: " << error;
  }
  return ::testing::AssertionSuccess();
}

// ---------------------------------------------------------------------------------------------

class OtlpRoundTrip : public ::testing::TestWithParam<RoundTripParam> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(BackendOrFailure(backend_));
    SdkWarnings::Take();
    exported_ = ExportTrace(GetParam(), backend_->collector_otlp_http_url());
    // The Collector accepted everything, so the SDK has nothing to warn about. The Collector
    // answers a full success with an *empty* partial_success ({"partialSuccess":{}} in JSON);
    // trace_service.proto: an empty one "is equivalent to it not being set/present. Senders
    // SHOULD interpret it the same way as in the full success case".
    EXPECT_EQ(SdkWarnings::Take(), std::vector<std::string>{});
    // The SDK's own account, before looking at Jaeger: every span made it, nothing dropped.
    const std::uint64_t total = exported_.spans.size() + 1;  // + the upstream span
    ASSERT_TRUE(exported_.flushed);
    ASSERT_TRUE(exported_.shut_down);
    EXPECT_EQ(exported_.provider_counters.spans_started, total);
    EXPECT_EQ(exported_.processor_counters.spans_exported, total);
    EXPECT_EQ(exported_.processor_counters.spans_dropped(), 0u);
    EXPECT_EQ(exported_.exporter_counters.export_failures, 0u);
    EXPECT_EQ(exported_.exporter_counters.export_retries, 0u);
    // One request per span without batching; the batch processor sends them all at once.
    EXPECT_EQ(exported_.exporter_counters.export_requests,
              GetParam().batch_processor ? 1u : total);
  }

  std::size_t expected_span_count() const { return exported_.spans.size(); }

  test::TracingBackend* backend_ = nullptr;
  ExportedTrace exported_;
};

TEST_P(OtlpRoundTrip, JaegerV1ApiShowsEveryField) {
  const auto count = expected_span_count();
  const auto response = backend_->WaitForTrace(
      exported_.trace_id_hex,
      [count](const json& body) {
        const json data = body.value("data", json::array());
        return data.size() == 1 && data.at(0).value("spans", json::array()).size() == count;
      },
      kJaegerTimeout);
  ASSERT_TRUE(response.has_value());
  ASSERT_EQ(response->at("data").size(), 1u);
  const json& trace = response->at("data").at(0);
  EXPECT_EQ(trace.at("traceID"), exported_.trace_id_hex);

  // Resource -> process: service.name becomes serviceName and is left out of the tags; every
  // other resource attribute is a process tag with its type.
  ASSERT_EQ(trace.at("processes").size(), 1u) << trace.at("processes").dump();
  const json& process = trace.at("processes").begin().value();
  EXPECT_EQ(process.at("serviceName"), exported_.service_name);
  Attributes process_tags;
  for (const auto& attribute : exported_.resource) {
    if (attribute.key != "service.name") process_tags.push_back(attribute);
  }
  ExpectV1Tags(process.at("tags"), process_tags, {});
  // The resource facts the SDK promises, spelled out rather than derived.
  const auto tags = TagsByKey(process.at("tags"));
  char host[256] = {};
  ASSERT_EQ(::gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(tags.at("service.version").at("value"), "1.2.3");
  EXPECT_EQ(tags.at("deployment.environment.name").at("value"), "e2e");
  EXPECT_EQ(tags.at("team").at("value"), "tracing team");
  EXPECT_EQ(tags.at("custom.unicode").at("value"), "café ✓");
  EXPECT_EQ(tags.at("telemetry.sdk.name").at("value"), "hotorder");
  EXPECT_EQ(tags.at("telemetry.sdk.language").at("value"), "cpp");
  EXPECT_EQ(tags.at("telemetry.sdk.version").at("value"), std::string(telemetry::kSdkVersion));
  EXPECT_EQ(tags.at("host.name").at("value"), std::string(host));
  EXPECT_EQ(tags.at("process.pid").at("type"), "int64");
  EXPECT_EQ(tags.at("process.pid").at("value"), ::getpid());
  EXPECT_EQ(tags.at("custom.int").at("value"), 7);
  EXPECT_EQ(tags.at("custom.array").at("value"), R"(["x","y"])");

  std::map<std::string, json> by_id;
  for (const auto& span : trace.at("spans")) by_id[span.at("spanID").get<std::string>()] = span;

  for (const auto& expected : exported_.spans) {
    SCOPED_TRACE("span " + expected.name);
    const auto found = by_id.find(expected.context.span_id().ToHex());
    ASSERT_NE(found, by_id.end());
    const json& span = found->second;
    EXPECT_EQ(span.at("traceID"), exported_.trace_id_hex);
    EXPECT_EQ(span.at("operationName"), expected.name);
    EXPECT_EQ(span.at("processID"), trace.at("processes").begin().key());
    // A span whose parent is in the trace carries no warnings (e.g. "invalid parent span").
    EXPECT_TRUE(span.value("warnings", json()).is_null()) << span.at("warnings").dump();

    // Microseconds: the start is truncated, and the duration is the truncated *difference*
    // (Go's Duration / time.Microsecond), which for root's +500 ns end is not end_us - start_us.
    EXPECT_EQ(AsInt64(span.at("startTime")), Micros(expected.start));
    EXPECT_EQ(AsInt64(span.at("duration")), (Nanos(expected.end) - Nanos(expected.start)) / 1000);

    // References: the parent first as CHILD_OF, then each link as FOLLOWS_FROM (OTLP links have
    // no type; the translator only says CHILD_OF for a link with attribute
    // opentracing.ref_type=child_of). Link attributes do not exist in this model and are lost.
    json expected_references = json::array();
    if (!expected.parent_span_id_hex.empty()) {
      expected_references.push_back({{"refType", "CHILD_OF"},
                                     {"traceID", exported_.trace_id_hex},
                                     {"spanID", expected.parent_span_id_hex}});
    }
    for (const auto& link : expected.links) {
      expected_references.push_back({{"refType", "FOLLOWS_FROM"},
                                     {"traceID", link.context.trace_id().ToHex()},
                                     {"spanID", link.context.span_id().ToHex()}});
    }
    EXPECT_EQ(span.at("references"), expected_references);

    // Kind, status and scope are tags the translator synthesizes: span.kind (OpenTracing's
    // lowercase names, "internal" included), otel.status_code "OK"/"ERROR" (nothing for UNSET),
    // error=true only for ERROR, otel.status_description only when there is one, and
    // otel.scope.name/otel.scope.version from the instrumentation scope.
    std::map<std::string, json> synthesized{{"span.kind", V1Kind(expected.kind)},
                                            {"otel.scope.name", expected.scope_name},
                                            {"otel.scope.version", expected.scope_version}};
    if (expected.status == StatusCode::kOk) synthesized["otel.status_code"] = "OK";
    if (expected.status == StatusCode::kError) {
      synthesized["otel.status_code"] = "ERROR";
      synthesized["error"] = true;
      synthesized["otel.status_description"] = expected.status_description;
    }
    ExpectV1Tags(span.at("tags"), expected.attributes, synthesized);

    // Events are logs: the event name becomes a field named "event", before the attributes.
    const json& logs = span.at("logs");
    ASSERT_EQ(logs.size(), expected.events.size());
    for (std::size_t i = 0; i < expected.events.size(); ++i) {
      const auto& event = expected.events[i];
      SCOPED_TRACE("event " + event.name);
      const auto time = AsInt64(logs[i].at("timestamp"));
      EXPECT_GE(time, Micros(event.earliest));
      EXPECT_LE(time, Micros(event.latest));
      const json& fields = logs[i].at("fields");
      ExpectV1Tags(fields, event.attributes, {{"event", event.name}});
    }
  }

  const auto services = backend_->QueryJaeger("/api/services");
  ASSERT_TRUE(services.has_value());
  const auto& names = services->at("data");
  EXPECT_NE(std::find(names.begin(), names.end(), json(exported_.service_name)), names.end())
      << services->dump();
}

TEST_P(OtlpRoundTrip, JaegerV3ApiKeepsOtlpTypesAndNanoseconds) {
  auto count_spans = [](const json& body) {
    std::size_t n = 0;
    const json result = body.value("result", json::object());
    for (const auto& resource_spans : result.value("resourceSpans", json::array())) {
      for (const auto& scope_spans : resource_spans.value("scopeSpans", json::array())) {
        n += scope_spans.value("spans", json::array()).size();
      }
    }
    return n;
  };
  const auto count = expected_span_count();
  const auto response = backend_->WaitForTraceV3(
      exported_.trace_id_hex, [&](const json& body) { return count_spans(body) == count; },
      kJaegerTimeout);
  ASSERT_TRUE(response.has_value());

  // Flatten resource/scope/span; the grouping Jaeger returns depends on how spans arrived.
  struct Found {
    json resource;
    json scope;
    json span;
  };
  std::map<std::string, Found> by_id;
  for (const auto& resource_spans : response->at("result").at("resourceSpans")) {
    for (const auto& scope_spans : resource_spans.at("scopeSpans")) {
      for (const auto& span : scope_spans.at("spans")) {
        by_id[span.at("spanId").get<std::string>()] =
            Found{resource_spans.at("resource"), scope_spans.at("scope"), span};
      }
    }
  }

  for (const auto& expected : exported_.spans) {
    SCOPED_TRACE("span " + expected.name);
    const auto found = by_id.find(expected.context.span_id().ToHex());
    ASSERT_NE(found, by_id.end());
    const auto& [resource, scope, span] = found->second;

    ExpectOtlpAttributes(resource.at("attributes"), exported_.resource);
    EXPECT_EQ(scope.value("name", ""), expected.scope_name);
    EXPECT_EQ(scope.value("version", ""), expected.scope_version);

    EXPECT_EQ(span.at("traceId"), exported_.trace_id_hex);
    EXPECT_EQ(span.value("parentSpanId", ""), expected.parent_span_id_hex);
    EXPECT_EQ(span.at("name"), expected.name);
    EXPECT_EQ(span.at("kind"), static_cast<int>(expected.kind));
    // Nanoseconds survive exactly (OTLP/JSON fixed64 fields are decimal strings).
    EXPECT_EQ(span.at("startTimeUnixNano"), std::to_string(Nanos(expected.start)));
    EXPECT_EQ(span.at("endTimeUnixNano"), std::to_string(Nanos(expected.end)));
    // Span.flags: the W3C flags (sampled | random, as the SDK set them) plus bit 8, "whether the
    // parent is remote is known" (trace.proto SpanFlags); bit 9 stays clear for local parents.
    EXPECT_EQ(span.value("flags", 0u), expected.context.flags() | 0x100u);
    EXPECT_EQ(span.value("traceState", ""), expected.context.trace_state().ToHeader());
    ExpectOtlpAttributes(span.value("attributes", json()), expected.attributes);

    const json events = span.value("events", json::array());
    ASSERT_EQ(events.size(), expected.events.size());
    for (std::size_t i = 0; i < expected.events.size(); ++i) {
      const auto& event = expected.events[i];
      SCOPED_TRACE("event " + event.name);
      EXPECT_EQ(events[i].at("name"), event.name);
      const auto time = AsInt64(events[i].at("timeUnixNano"));
      EXPECT_GE(time, Nanos(event.earliest));
      EXPECT_LE(time, Nanos(event.latest));
      ExpectOtlpAttributes(events[i].value("attributes", json()), event.attributes);
    }

    const json links = span.value("links", json::array());
    ASSERT_EQ(links.size(), expected.links.size());
    for (std::size_t i = 0; i < expected.links.size(); ++i) {
      const auto& link = expected.links[i];
      EXPECT_EQ(links[i].at("traceId"), link.context.trace_id().ToHex());
      EXPECT_EQ(links[i].at("spanId"), link.context.span_id().ToHex());
      EXPECT_EQ(links[i].value("flags", 0u), link.context.flags() | 0x100u);
      ExpectOtlpAttributes(links[i].value("attributes", json()), link.attributes);
    }

    const json status = span.value("status", json::object());
    EXPECT_EQ(status.value("code", 0), static_cast<int>(expected.status));
    EXPECT_EQ(status.value("message", ""), expected.status_description);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Protocols, OtlpRoundTrip,
    ::testing::Values(
        RoundTripParam{"HttpProtobuf", "http-protobuf", telemetry::otlp::Protocol::kHttpProtobuf,
                       telemetry::otlp::Compression::kNone, true},
        RoundTripParam{"HttpJson", "http-json", telemetry::otlp::Protocol::kHttpJson,
                       telemetry::otlp::Compression::kNone, true},
        RoundTripParam{"HttpProtobufGzip", "http-protobuf-gzip",
                       telemetry::otlp::Protocol::kHttpProtobuf,
                       telemetry::otlp::Compression::kGzip, true},
        // Also the simple processor: one request per span, gzipped JSON.
        RoundTripParam{"HttpJsonGzipSimpleProcessor", "http-json-gzip-simple",
                       telemetry::otlp::Protocol::kHttpJson, telemetry::otlp::Compression::kGzip,
                       false}),
    [](const ::testing::TestParamInfo<RoundTripParam>& info) { return info.param.test_name; });

// A span continuing a remote trace (as a service does for an incoming traceparent) keeps the
// remote parent id, the remote-parent flag and the W3C tracestate through the pipeline.
TEST(OtlpRoundTripRemoteParent, ParentIdFlagsAndTraceStateSurvive) {
  test::TracingBackend* backend = nullptr;
  ASSERT_TRUE(BackendOrFailure(backend));
  SdkWarnings::Take();

  telemetry::SdkCounters processor_counters;
  telemetry::otlp::OtlpExporterOptions exporter_options;
  exporter_options.endpoint_url = backend->collector_otlp_http_url() + "/v1/traces";
  telemetry::TracerProviderOptions options;
  options.resource = telemetry::BuildResource(config::EnvReader(config::FixedEnv({})),
                                              "roundtrip-test-remote-parent", "1.2.3");
  options.processor = std::make_unique<telemetry::SimpleSpanProcessor>(
      std::make_unique<telemetry::otlp::OtlpHttpExporter>(exporter_options, nullptr),
      &processor_counters);
  telemetry::TracerProvider provider(std::move(options));

  telemetry::RandomIdGenerator ids;
  const auto trace_state = telemetry::TraceState::FromHeader("hotorder=e2e,vendor=x:1");
  ASSERT_FALSE(trace_state.empty());
  const telemetry::SpanContext remote(ids.NewTraceId(), ids.NewSpanId(),
                                      telemetry::TraceFlags::kSampled, /*remote=*/true,
                                      trace_state);
  const Timestamp start = std::chrono::time_point_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now());
  auto span = provider.GetTracer("hotorder.e2e.remote")
                  .StartSpan("GET /remote", Context{remote, {}},
                             {.kind = SpanKind::kServer, .start_time = start});
  const auto context = span.context();
  span.End(start + 5ms);
  ASSERT_TRUE(provider.ForceFlush(kExportTimeout));
  ASSERT_TRUE(provider.Shutdown(kExportTimeout));
  EXPECT_EQ(processor_counters.Snapshot().spans_exported, 1u);
  EXPECT_EQ(SdkWarnings::Take(), std::vector<std::string>{});

  const auto trace_id = remote.trace_id().ToHex();
  const auto v1 = backend->WaitForTrace(trace_id, nullptr, kJaegerTimeout);
  ASSERT_TRUE(v1.has_value());
  const json& v1_span = v1->at("data").at(0).at("spans").at(0);
  EXPECT_EQ(v1_span.at("spanID"), context.span_id().ToHex());
  // The remote parent is not in Jaeger, but the reference to it is kept as CHILD_OF.
  EXPECT_EQ(v1_span.at("references"),
            json::array({{{"refType", "CHILD_OF"},
                          {"traceID", trace_id},
                          {"spanID", remote.span_id().ToHex()}}}));
  // The translator stores a non-empty tracestate as the tag w3c.tracestate.
  const auto tags = TagsByKey(v1_span.at("tags"));
  ASSERT_TRUE(tags.count("w3c.tracestate"));
  EXPECT_EQ(tags.at("w3c.tracestate").at("value"), "hotorder=e2e,vendor=x:1");

  const auto v3 = backend->WaitForTraceV3(trace_id, nullptr, kJaegerTimeout);
  ASSERT_TRUE(v3.has_value());
  const json& v3_span =
      v3->at("result").at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").at(0);
  EXPECT_EQ(v3_span.at("parentSpanId"), remote.span_id().ToHex());
  EXPECT_EQ(v3_span.at("traceState"), "hotorder=e2e,vendor=x:1");
  // Sampled (the child inherits the parent's flags) + "remoteness known" (bit 8) + "parent is
  // remote" (bit 9): trace.proto SpanFlags.
  EXPECT_EQ(v3_span.at("flags"), telemetry::TraceFlags::kSampled | 0x100u | 0x200u);
}

}  // namespace
}  // namespace hotorder
