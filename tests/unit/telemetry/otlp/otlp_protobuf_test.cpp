#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "support/build_paths.hpp"
#include "support/otlp_decode.hpp"
#include "support/otlp_sample_batch.hpp"
#include "telemetry/otlp/otlp_encoding.hpp"

namespace hotorder::telemetry::otlp {
namespace {

using test::DecodedSpan;
using test::DecodeOtlpProtobuf;

constexpr std::string_view kRequestType =
    "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest";
constexpr std::string_view kResponseType =
    "opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse";

std::string Encode(const std::vector<std::unique_ptr<SpanData>>& batch) {
  std::string out;
  EncodeProtobuf(batch, out);
  return out;
}

std::vector<DecodedSpan> EncodeAndDecode(const std::vector<std::unique_ptr<SpanData>>& batch) {
  auto decoded = DecodeOtlpProtobuf(Encode(batch));
  EXPECT_TRUE(decoded.has_value()) << "encoder output did not decode";
  return decoded.value_or(std::vector<DecodedSpan>{});
}

// ---- protoc plumbing --------------------------------------------------------------------------

// The schema sits in the source tree at tests/support/proto.
std::filesystem::path ProtoDir() { return test::RepoRoot() / "tests" / "support" / "proto"; }

std::string ProtocPath() {
  return std::filesystem::exists("/usr/bin/protoc") ? "/usr/bin/protoc" : "protoc";
}

class TempFile {
 public:
  explicit TempFile(std::string_view contents) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("hotorder_otlp_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) +
             ".bin");
    std::ofstream file(path_, std::ios::binary);
    file.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int status = -1;
  std::string output;
};

CommandResult Run(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer;
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), n);
  }
  result.status = ::pclose(pipe);
  return result;
}

std::string Quote(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

CommandResult ProtocDecode(std::string_view bytes, std::string_view type) {
  TempFile input(bytes);
  const auto dir = ProtoDir();
  return Run(ProtocPath() + " --decode=" + std::string(type) + " -I " + Quote(dir) + " " +
             Quote(dir / "otlp_trace.proto") + " < " + Quote(input.path()));
}

CommandResult ProtocDecodeRaw(std::string_view bytes) {
  TempFile input(bytes);
  return Run(ProtocPath() + " --decode_raw < " + Quote(input.path()));
}

CommandResult ProtocEncode(std::string_view text, std::string_view type) {
  TempFile input(text);
  const auto dir = ProtoDir();
  return Run(ProtocPath() + " --encode=" + std::string(type) + " -I " + Quote(dir) + " " +
             Quote(dir / "otlp_trace.proto") + " < " + Quote(input.path()));
}

// ---- encoding ---------------------------------------------------------------------------------

TEST(OtlpProtobuf, EmptyBatchIsAnEmptyRequest) {
  std::string out = "stale bytes from an earlier export";
  EncodeProtobuf({}, out);
  EXPECT_TRUE(out.empty());  // a request with no resource_spans has no bytes at all

  std::vector<std::unique_ptr<SpanData>> only_nulls;
  only_nulls.push_back(nullptr);
  EncodeProtobuf(only_nulls, out);
  EXPECT_TRUE(out.empty());
  auto decoded = DecodeOtlpProtobuf(out);
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->empty());
}

TEST(OtlpProtobuf, RoundTripsEveryFieldOfASpan) {
  const Resource resource{{{"service.name", "api-gateway"}, {"process.pid", 4242}},
                          "https://opentelemetry.io/schemas/1.24.0"};
  const InstrumentationScope scope{"hotorder.http", "0.1.0", "https://example.com/scope"};
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::RichSpan(&resource, &scope));
  const SpanData& in = *batch[0];

  const auto spans = EncodeAndDecode(batch);
  ASSERT_EQ(spans.size(), 1u);
  const DecodedSpan& out = spans[0];
  EXPECT_EQ(out.trace_id_hex, in.context.trace_id().ToHex());
  EXPECT_EQ(out.trace_id_hex, "101112131415161718191a1b1c1d1e1f");
  EXPECT_EQ(out.span_id_hex, in.context.span_id().ToHex());
  EXPECT_EQ(out.parent_span_id_hex, in.parent_span_id.ToHex());
  EXPECT_EQ(out.trace_state, "vendor=abc,other=x-1");
  EXPECT_EQ(out.name, "POST /api/orders");
  EXPECT_EQ(out.kind, 2);
  EXPECT_EQ(out.start_ns, static_cast<std::uint64_t>(test::kSampleEpochNs + 1000));
  EXPECT_EQ(out.end_ns, static_cast<std::uint64_t>(test::kSampleEpochNs + 2'500'000));
  EXPECT_EQ(out.flags, 0x301u);  // sampled, remoteness known, parent remote
  EXPECT_EQ(out.attributes, in.attributes);
  EXPECT_EQ(out.dropped_attributes_count, 3u);

  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].name, "slow-index-scan-detected");
  EXPECT_EQ(out.events[0].time_ns, static_cast<std::uint64_t>(test::kSampleEpochNs + 2000));
  EXPECT_EQ(out.events[0].attributes, in.events[0].attributes);
  EXPECT_EQ(out.events[0].dropped_attributes_count, 1u);
  EXPECT_EQ(out.events[1].name, "bare");
  EXPECT_TRUE(out.events[1].attributes.empty());
  EXPECT_EQ(out.dropped_events_count, 4u);

  ASSERT_EQ(out.links.size(), 2u);
  EXPECT_EQ(out.links[0].trace_id_hex, test::SampleTraceId(2).ToHex());
  EXPECT_EQ(out.links[0].span_id_hex, test::SampleSpanId(2).ToHex());
  EXPECT_EQ(out.links[0].trace_state, "k=v");
  EXPECT_EQ(out.links[0].attributes, in.links[0].attributes);
  EXPECT_EQ(out.links[0].dropped_attributes_count, 2u);
  EXPECT_EQ(out.links[0].flags, 0x301u);  // linked context is remote and sampled
  EXPECT_EQ(out.links[1].trace_id_hex, test::SampleTraceId(3).ToHex());
  EXPECT_EQ(out.links[1].flags, 0x100u);  // known local, not sampled
  EXPECT_EQ(out.dropped_links_count, 5u);

  EXPECT_EQ(out.status_code, 2);
  EXPECT_EQ(out.status_message, "stock reservation failed");
  EXPECT_EQ(out.resource_attributes, resource.attributes);
  EXPECT_EQ(out.resource_schema_url, resource.schema_url);
  EXPECT_EQ(out.scope_name, "hotorder.http");
  EXPECT_EQ(out.scope_version, "0.1.0");
  EXPECT_EQ(out.scope_schema_url, scope.schema_url);
}

TEST(OtlpProtobuf, EncodesEveryAttributeType) {
  const Resource resource;
  const InstrumentationScope scope{"s", "", ""};
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::PlainSpan(1, "attrs", &resource, &scope));
  batch[0]->attributes = test::AllAttributeTypes();
  batch[0]->attributes.push_back({"int.min", std::numeric_limits<std::int64_t>::min()});
  batch[0]->attributes.push_back({"int.max", std::numeric_limits<std::int64_t>::max()});
  batch[0]->attributes.push_back({"double.tiny", 5e-324});
  batch[0]->attributes.push_back({"double.inf", std::numeric_limits<double>::infinity()});

  const auto spans = EncodeAndDecode(batch);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].attributes, batch[0]->attributes);

  // NaN never compares equal, so check it on its own.
  batch[0]->attributes = {{"double.nan", std::numeric_limits<double>::quiet_NaN()}};
  const auto nan_spans = EncodeAndDecode(batch);
  ASSERT_EQ(nan_spans.size(), 1u);
  ASSERT_EQ(nan_spans[0].attributes.size(), 1u);
  const auto* value = std::get_if<double>(&nan_spans[0].attributes[0].value.variant());
  ASSERT_NE(value, nullptr);
  EXPECT_TRUE(std::isnan(*value));
}

TEST(OtlpProtobuf, EncodesAllSpanKindsAndStatusCodes) {
  const Resource resource;
  const InstrumentationScope scope;
  std::vector<std::unique_ptr<SpanData>> batch;
  const SpanKind kinds[] = {SpanKind::kInternal, SpanKind::kServer, SpanKind::kClient,
                            SpanKind::kProducer, SpanKind::kConsumer};
  const Status statuses[] = {{StatusCode::kUnset, ""},
                             {StatusCode::kOk, ""},
                             {StatusCode::kError, "boom"},
                             {StatusCode::kError, ""},
                             {StatusCode::kUnset, ""}};
  for (int i = 0; i < 5; ++i) {
    batch.push_back(test::PlainSpan(static_cast<std::uint8_t>(i + 1), "k", &resource, &scope));
    batch.back()->kind = kinds[i];
    batch.back()->status = statuses[i];
  }
  const auto spans = EncodeAndDecode(batch);
  ASSERT_EQ(spans.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(spans[i].kind, i + 1);
    EXPECT_EQ(spans[i].status_code, static_cast<int>(statuses[i].code));
    EXPECT_EQ(spans[i].status_message, statuses[i].description);
  }
}

TEST(OtlpProtobuf, FlagsCarryTraceFlagsAndParentRemoteness) {
  const Resource resource;
  const InstrumentationScope scope;
  std::vector<std::unique_ptr<SpanData>> batch;

  batch.push_back(test::PlainSpan(1, "root", &resource, &scope));
  batch.back()->parent_span_id = SpanId();
  batch.push_back(test::PlainSpan(2, "local-child", &resource, &scope));
  batch.push_back(test::PlainSpan(3, "remote-child", &resource, &scope));
  batch.back()->parent_is_remote = true;
  batch.push_back(test::PlainSpan(4, "unsampled-remote-random", &resource, &scope));
  batch.back()->context = SpanContext(test::SampleTraceId(1), test::SampleSpanId(4),
                                      TraceFlags::kRandom, false);
  batch.back()->parent_is_remote = true;

  const auto spans = EncodeAndDecode(batch);
  ASSERT_EQ(spans.size(), 4u);
  EXPECT_EQ(spans[0].parent_span_id_hex, "");
  EXPECT_EQ(spans[0].flags, 0x101u);
  EXPECT_EQ(spans[1].parent_span_id_hex, test::SampleSpanId(1).ToHex());
  EXPECT_EQ(spans[1].flags, 0x101u);
  EXPECT_EQ(spans[2].flags, 0x301u);
  EXPECT_EQ(spans[3].flags, 0x302u);
}

TEST(OtlpProtobuf, GroupsByResourceThenScopeKeepingBatchOrder) {
  test::InterleavedBatch batch;
  const auto spans = EncodeAndDecode(batch.spans);
  ASSERT_EQ(spans.size(), 6u);
  struct Expected {
    const char* name;
    std::size_t resource_index;
    std::size_t scope_index;
    const char* service;
    const char* scope;
  };
  const Expected expected[] = {
      {"g1", 0, 0, "api-gateway", "hotorder.http"}, {"g3", 0, 0, "api-gateway", "hotorder.http"},
      {"g2", 0, 1, "api-gateway", "hotorder.db"},   {"o1", 1, 0, "order-service", "hotorder.http"},
      {"o3", 1, 0, "order-service", "hotorder.http"}, {"o2", 1, 1, "order-service", "hotorder.db"},
  };
  for (std::size_t i = 0; i < spans.size(); ++i) {
    SCOPED_TRACE(expected[i].name);
    EXPECT_EQ(spans[i].name, expected[i].name);
    EXPECT_EQ(spans[i].resource_index, expected[i].resource_index);
    EXPECT_EQ(spans[i].scope_index, expected[i].scope_index);
    const auto* service = FindAttribute(spans[i].resource_attributes, "service.name");
    ASSERT_NE(service, nullptr);
    EXPECT_EQ(*service, AttributeValue(expected[i].service));
    EXPECT_EQ(spans[i].scope_name, expected[i].scope);
  }
  EXPECT_EQ(spans[0].resource_schema_url, "https://example.com/r1");
  EXPECT_EQ(spans[0].scope_schema_url, "https://example.com/s1");
  EXPECT_EQ(spans[0].scope_version, "0.1.0");
  EXPECT_EQ(spans[3].resource_attributes, batch.orders.attributes);
}

TEST(OtlpProtobuf, SpansWithoutResourceOrScopeEncodeEmptyOnes) {
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::PlainSpan(1, "orphan", nullptr, nullptr));
  const auto spans = EncodeAndDecode(batch);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "orphan");
  EXPECT_TRUE(spans[0].resource_attributes.empty());
  EXPECT_EQ(spans[0].scope_name, "");
}

TEST(OtlpProtobuf, LargeAndTinyMessagesHaveExactLengths) {
  // Sizes straddle every reserved length width: a span under 128 bytes, attribute values past
  // 16 KiB, and a ResourceSpans past 2 MiB.
  const Resource resource{{{"service.name", "big"}}, ""};
  const InstrumentationScope scope{"s", "1", ""};
  std::vector<std::unique_ptr<SpanData>> batch;
  auto tiny = std::make_unique<SpanData>();
  tiny->context = SpanContext(test::SampleTraceId(1), test::SampleSpanId(1), 0, false);
  tiny->resource = &resource;
  tiny->scope = &scope;
  batch.push_back(std::move(tiny));
  for (int i = 0; i < 130; ++i) {
    batch.push_back(test::PlainSpan(static_cast<std::uint8_t>(i + 2), "big", &resource, &scope));
    batch.back()->attributes = {{"payload", std::string(20000 + i, static_cast<char>('a' + i % 26))},
                                {"after", i}};
  }
  const std::string bytes = Encode(batch);
  EXPECT_GT(bytes.size(), 2'600'000u);
  const auto spans = DecodeOtlpProtobuf(bytes);
  ASSERT_TRUE(spans);
  ASSERT_EQ(spans->size(), batch.size());
  EXPECT_EQ((*spans)[0].name, "");
  EXPECT_EQ((*spans)[0].flags, 0x100u);
  for (std::size_t i = 1; i < batch.size(); ++i) {
    ASSERT_EQ((*spans)[i].attributes, batch[i]->attributes) << i;
  }
}

TEST(OtlpProtobuf, ReusedBufferGivesSameBytesAsFreshOne) {
  test::InterleavedBatch big;
  std::vector<std::unique_ptr<SpanData>> small;
  small.push_back(test::PlainSpan(1, "small", &big.gateway, &big.http));
  std::string reused;
  EncodeProtobuf(big.spans, reused);
  EncodeProtobuf(small, reused);
  EXPECT_EQ(reused, Encode(small));
}

TEST(OtlpProtobuf, InvalidUtf8BecomesReplacementCharacters) {
  const Resource resource{{{"service.name", "bad\xC3"}}, ""};
  const InstrumentationScope scope{"s\xFF", "", ""};
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::PlainSpan(1, "GET /\xE2\x82", &resource, &scope));
  batch[0]->attributes = {{"k\x80", "v\xF0\x9F\x98"},
                          {"arr", std::vector<std::string>{"ok", "\xED\xA0\x80"}}};
  // The test decoder, like the Collector, rejects strings that are not UTF-8.
  const auto spans = EncodeAndDecode(batch);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "GET /\xEF\xBF\xBD");
  EXPECT_EQ(spans[0].scope_name, "s\xEF\xBF\xBD");
  EXPECT_EQ(spans[0].resource_attributes[0].value, AttributeValue("bad\xEF\xBF\xBD"));
  EXPECT_EQ(spans[0].attributes[0].key, "k\xEF\xBF\xBD");
  EXPECT_EQ(spans[0].attributes[0].value, AttributeValue("v\xEF\xBF\xBD"));
  EXPECT_EQ(spans[0].attributes[1].value,
            AttributeValue(std::vector<std::string>{
                "ok", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}));
}

TEST(OtlpProtobuf, CopiesStringsOfEveryLengthExactly) {
  // The attribute fast path copies short strings with overlapping word moves and tests them for
  // ASCII on the way: cover each length class, with and without multi-byte UTF-8 at either end.
  const Resource resource;
  const InstrumentationScope scope;
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::PlainSpan(1, "lengths", &resource, &scope));
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string ascii(n, 'a');
    for (std::size_t i = 0; i < n; ++i) ascii[i] = static_cast<char>('a' + (i * 7) % 26);
    batch[0]->attributes.push_back({"k" + std::to_string(n), ascii});
    batch[0]->attributes.push_back({ascii + "\xC3\xA9", "\xE2\x82\xAC" + ascii});  // é, €
  }
  batch[0]->name = "caf\xC3\xA9 \xF0\x9F\x98\x80";  // valid UTF-8 names pass unchanged
  const auto spans = EncodeAndDecode(batch);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, batch[0]->name);
  EXPECT_EQ(spans[0].attributes, batch[0]->attributes);
}

// ---- protoc as an independent reader -----------------------------------------------------------

TEST(OtlpProtobuf, ProtocDecodeRawReadsTheRequest) {
  test::InterleavedBatch interleaved;
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::RichSpan(&interleaved.gateway, &interleaved.http));
  const auto result = ProtocDecodeRaw(Encode(batch));
  ASSERT_EQ(result.status, 0) << result.output;
  // Wire-level view: field numbers only. Span name is field 5 of Span (field 2 of ScopeSpans).
  EXPECT_NE(result.output.find("5: \"POST /api/orders\""), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("\"api-gateway\""), std::string::npos);
  EXPECT_NE(result.output.find("\"slow-index-scan-detected\""), std::string::npos);
  EXPECT_NE(result.output.find("16: 0x00000301"), std::string::npos) << result.output;
  // int_value -42 as a two's-complement varint (not zigzag), which decode_raw shows unsigned.
  EXPECT_NE(result.output.find("3: 18446744073709551574"), std::string::npos) << result.output;
}

TEST(OtlpProtobuf, ProtocDecodesWithTheOtlpSchema) {
  test::InterleavedBatch interleaved;
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::RichSpan(&interleaved.gateway, &interleaved.http));
  batch.push_back(test::PlainSpan(30, "validate-order", &interleaved.orders, &interleaved.db));
  const auto result = ProtocDecode(Encode(batch), kRequestType);
  ASSERT_EQ(result.status, 0) << result.output;
  const std::string& text = result.output;
  for (const char* expected : {
           "name: \"POST /api/orders\"",
           "kind: SPAN_KIND_SERVER",
           "kind: SPAN_KIND_INTERNAL",
           "name: \"validate-order\"",
           "string_value: \"api-gateway\"",
           "string_value: \"order-service\"",
           "name: \"hotorder.http\"",
           "version: \"0.1.0\"",
           "schema_url: \"https://example.com/r1\"",
           "trace_state: \"vendor=abc,other=x-1\"",
           "flags: 769",
           "start_time_unix_nano: 1700000000000001000",
           "end_time_unix_nano: 1700000000002500000",
           "int_value: -42",
           "int_value: 1234567890123",
           "double_value: 3.25",
           "bool_value: false",
           "array_value {",
           "name: \"slow-index-scan-detected\"",
           "time_unix_nano: 1700000000000002000",
           "dropped_attributes_count: 3",
           "dropped_events_count: 4",
           "dropped_links_count: 5",
           "code: STATUS_CODE_ERROR",
           "message: \"stock reservation failed\"",
           "trace_id: \"\\020\\021\\022\\023",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
  // No field the schema does not know: protoc prints unknown fields as bare numbers.
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    EXPECT_FALSE(std::isdigit(static_cast<unsigned char>(line[start]))) << line;
  }
}

TEST(OtlpProtobuf, ProtocDecodesAnEmptyRequest) {
  const auto result = ProtocDecode(Encode({}), kRequestType);
  EXPECT_EQ(result.status, 0) << result.output;
  EXPECT_EQ(result.output, "");
}

// ---- the test decoder's own robustness --------------------------------------------------------

TEST(OtlpProtobufTestDecoder, SkipsUnknownFieldsAndRejectsMalformedInput) {
  const Resource resource{{{"service.name", "x"}}, ""};
  const InstrumentationScope scope{"s", "", ""};
  std::vector<std::unique_ptr<SpanData>> batch;
  batch.push_back(test::RichSpan(&resource, &scope));
  const std::string bytes = Encode(batch);
  const auto reference = DecodeOtlpProtobuf(bytes);
  ASSERT_TRUE(reference);

  // Unknown top-level fields of every wire type (numbers 90..93) are skipped.
  std::string extended = bytes;
  extended += "\xD0\x05\x2A";                      // field 90, varint 42
  extended += "\xD9\x05" + std::string(8, '\x01');  // field 91, fixed64
  extended += "\xE2\x05\x03" "abc";                 // field 92, length-delimited
  extended += "\xED\x05" + std::string(4, '\x02');  // field 93, fixed32
  const auto with_unknown = DecodeOtlpProtobuf(extended);
  ASSERT_TRUE(with_unknown);
  EXPECT_EQ(*with_unknown, *reference);

  EXPECT_FALSE(DecodeOtlpProtobuf(bytes.substr(0, bytes.size() - 1)));
  EXPECT_FALSE(DecodeOtlpProtobuf("\x0a\x05\x01"));  // length beyond the end
  EXPECT_FALSE(DecodeOtlpProtobuf("\x0b"));          // group wire type
  EXPECT_FALSE(DecodeOtlpProtobuf("\x08\xff\xff"));  // truncated varint
  EXPECT_FALSE(DecodeOtlpProtobuf("\x09"));          // field 1 with a fixed64 wire type, no data
  // A span whose trace id is not 16 bytes.
  EXPECT_FALSE(DecodeOtlpProtobuf(std::string("\x0a\x09\x12\x07\x12\x05\x0a\x03\x61\x62\x63", 11)));
  // Every prefix must be handled without crashing (most are rejected).
  for (std::size_t n = 0; n < bytes.size(); ++n) (void)DecodeOtlpProtobuf(bytes.substr(0, n));
}

// ---- responses --------------------------------------------------------------------------------

TEST(OtlpProtobufResponse, ReadsPartialSuccessEncodedByProtoc) {
  const auto encoded = ProtocEncode(
      "partial_success { rejected_spans: 3 error_message: \"2 spans too old\" }", kResponseType);
  ASSERT_EQ(encoded.status, 0) << encoded.output;
  const auto partial = DecodeProtobufResponse(encoded.output);
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->rejected_spans, 3);
  EXPECT_EQ(partial->error_message, "2 spans too old");
}

TEST(OtlpProtobufResponse, EmptyOrUnreadableBodyHasNoPartialSuccess) {
  EXPECT_FALSE(DecodeProtobufResponse(""));
  EXPECT_FALSE(DecodeProtobufResponse("\x0a\x05\x08"));  // truncated
  EXPECT_FALSE(DecodeProtobufResponse("\x12\x00"));      // only an unknown field
}

TEST(OtlpProtobufResponse, SkipsUnknownFieldsAndReadsNegativeCounts) {
  // partial_success{rejected_spans: -1 (10-byte varint), field 9: "x"} then unknown field 7.
  std::string inner = "\x08" + std::string(9, '\xff') + "\x01" + "\x4a\x01x";
  std::string body = "\x0a" + std::string(1, static_cast<char>(inner.size())) + inner + "\x38\x01";
  const auto partial = DecodeProtobufResponse(body);
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->rejected_spans, -1);
  EXPECT_EQ(partial->error_message, "");
}

}  // namespace
}  // namespace hotorder::telemetry::otlp
