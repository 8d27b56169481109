#include "telemetry/otlp/otlp_exporter_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hotorder::telemetry::otlp {
namespace {

using ::testing::HasSubstr;
using Env = std::vector<std::pair<std::string, std::string>>;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Result {
  OtlpExporterOptions options;
  std::vector<std::string> warnings;
};

Result Read(Env env) {
  config::EnvReader reader(config::FixedEnv(std::move(env)));
  Result result{OtlpOptionsFromEnv(reader), {}};
  result.warnings = reader.Warnings();
  return result;
}

TEST(OtlpOptionsFromEnv, DefaultsFollowTheSpec) {
  auto r = Read({});
  EXPECT_EQ(r.options.endpoint_url, "http://localhost:4318/v1/traces");
  EXPECT_EQ(r.options.protocol, Protocol::kHttpProtobuf);
  EXPECT_EQ(r.options.compression, Compression::kNone);
  EXPECT_EQ(r.options.timeout, std::chrono::milliseconds(10000));
  EXPECT_TRUE(r.options.headers.empty());
  EXPECT_EQ(r.options.max_request_bytes, 64u * 1024 * 1024);
  EXPECT_EQ(r.options.max_response_bytes, 4u * 1024 * 1024);
  EXPECT_TRUE(r.warnings.empty());
}

struct EndpointCase {
  std::string base;      // OTEL_EXPORTER_OTLP_ENDPOINT ("" = unset)
  std::string traces;    // OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ("" = unset)
  std::string expected;  // endpoint_url
  bool warns;
};

class EndpointRules : public ::testing::TestWithParam<EndpointCase> {};

TEST_P(EndpointRules, BuildsTheTracesUrl) {
  const auto& c = GetParam();
  Env env;
  if (!c.base.empty()) env.emplace_back("OTEL_EXPORTER_OTLP_ENDPOINT", c.base);
  if (!c.traces.empty()) env.emplace_back("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", c.traces);
  auto r = Read(env);
  EXPECT_EQ(r.options.endpoint_url, c.expected);
  EXPECT_EQ(!r.warnings.empty(), c.warns) << (r.warnings.empty() ? "" : r.warnings[0]);
  EXPECT_TRUE(ParseHttpEndpoint(r.options.endpoint_url).has_value());
}

INSTANTIATE_TEST_SUITE_P(
    Spec, EndpointRules,
    ::testing::Values(
        // Base URL: "v1/traces" relative to it, exactly one '/' in between, base path kept.
        EndpointCase{"http://collector:4318", "", "http://collector:4318/v1/traces", false},
        EndpointCase{"http://collector:4318/", "", "http://collector:4318/v1/traces", false},
        EndpointCase{"http://collector:4318/mycollector", "",
                     "http://collector:4318/mycollector/v1/traces", false},
        EndpointCase{"http://collector:4318/mycollector/", "",
                     "http://collector:4318/mycollector/v1/traces", false},
        EndpointCase{"http://collector", "", "http://collector/v1/traces", false},
        EndpointCase{"http://collector:4318/p?tenant=a", "",
                     "http://collector:4318/p/v1/traces?tenant=a", false},
        // The per-signal URL is used as is, and wins.
        EndpointCase{"", "http://collector:4318/custom/path", "http://collector:4318/custom/path",
                     false},
        EndpointCase{"", "http://collector:4318", "http://collector:4318", false},
        EndpointCase{"http://base:4318", "http://traces:9999/v1/traces",
                     "http://traces:9999/v1/traces", false},
        // Invalid per-signal value: warned about and ignored, so the base URL applies.
        EndpointCase{"http://base:4318", "not a url", "http://base:4318/v1/traces", true},
        EndpointCase{"http://base:4318", "https://secure:4318/v1/traces",
                     "http://base:4318/v1/traces", true},
        // Invalid base: the default.
        EndpointCase{"https://collector:4318", "", "http://localhost:4318/v1/traces", true},
        EndpointCase{"http://collector:99999", "", "http://localhost:4318/v1/traces", true},
        EndpointCase{"ftp://collector", "", "http://localhost:4318/v1/traces", true},
        EndpointCase{"http://:4318", "", "http://localhost:4318/v1/traces", true},
        EndpointCase{"http://[::1]:4318", "", "http://[::1]:4318/v1/traces", false}));

TEST(OtlpOptionsFromEnv, HttpsIsRefusedWithAnExplanation) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://c.example.com/v1/traces"}});
  EXPECT_EQ(r.options.endpoint_url, kDefaultTracesEndpoint);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
  EXPECT_THAT(r.warnings[0], HasSubstr("https://c.example.com/v1/traces"));
  EXPECT_THAT(r.warnings[0], HasSubstr("TLS"));
}

TEST(ParseHttpEndpoint, SplitsUrlIntoRequestParts) {
  auto e = ParseHttpEndpoint("http://collector:4318/otel/v1/traces?x=1#frag");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "collector");
  EXPECT_EQ(e->port, 4318);
  EXPECT_EQ(e->target, "/otel/v1/traces?x=1");
  EXPECT_EQ(e->host_header, "collector:4318");

  auto root = ParseHttpEndpoint("HTTP://user:pw@Example.com");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->host, "Example.com");
  EXPECT_EQ(root->port, 80);
  EXPECT_EQ(root->target, "/");  // spec: a URL without a path uses the root path
  EXPECT_EQ(root->host_header, "Example.com");

  auto v6 = ParseHttpEndpoint("http://[::1]:4318/v1/traces");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->host_header, "[::1]:4318");

  auto empty_port = ParseHttpEndpoint("http://c:/x");
  ASSERT_TRUE(empty_port);
  EXPECT_EQ(empty_port->port, 80);
}

TEST(ParseHttpEndpoint, RejectsWhatCannotBeSent) {
  std::string why;
  EXPECT_FALSE(ParseHttpEndpoint("collector:4318", &why));
  EXPECT_FALSE(why.empty());
  EXPECT_FALSE(ParseHttpEndpoint("https://collector:4318", &why));
  EXPECT_THAT(why, HasSubstr("https"));
  EXPECT_FALSE(ParseHttpEndpoint("http://collector:0/"));
  EXPECT_FALSE(ParseHttpEndpoint("http://collector:65536/"));
  EXPECT_FALSE(ParseHttpEndpoint("http://collector:43a/"));
  EXPECT_FALSE(ParseHttpEndpoint("http://coll ector/"));
  EXPECT_FALSE(ParseHttpEndpoint("http://collector/a path"));
  EXPECT_FALSE(ParseHttpEndpoint("http://::1:4318/"));
  EXPECT_FALSE(ParseHttpEndpoint("http://[::1/"));
  EXPECT_FALSE(ParseHttpEndpoint("http:///v1/traces"));
}

TEST(OtlpOptionsFromEnv, HeadersArePercentDecoded) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_HEADERS",
                  " api-key = secret%3D%3D ,Authorization=Bearer%20abc%2Cdef,x-empty="}});
  EXPECT_EQ(r.options.headers, (Headers{{"api-key", "secret=="},
                                        {"Authorization", "Bearer abc,def"},
                                        {"x-empty", ""}}));
  EXPECT_TRUE(r.warnings.empty());
}

TEST(OtlpOptionsFromEnv, TracesHeadersReplaceGenericOnes) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_HEADERS", "a=1,b=2"},
                 {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "c=3"}});
  EXPECT_EQ(r.options.headers, (Headers{{"c", "3"}}));
  auto generic = Read({{"OTEL_EXPORTER_OTLP_HEADERS", "a=1,b=2"}});
  EXPECT_EQ(generic.options.headers, (Headers{{"a", "1"}, {"b", "2"}}));
}

TEST(OtlpOptionsFromEnv, InvalidHeaderEntriesAreSkippedOneByOne) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_HEADERS",
                  "good=1,novalue,bad key=2,,x=%zz,y=%4,meta=v;prop,ctl=a%0Db,"
                  "content-type=text/plain,Host=h,last=ok%21"}});
  EXPECT_EQ(r.options.headers, (Headers{{"good", "1"}, {"last", "ok!"}}));
  // One warning per skipped entry; the empty member between ",," is not an error.
  ASSERT_EQ(r.warnings.size(), 8u);
  for (const auto& w : r.warnings) EXPECT_THAT(w, HasSubstr("OTEL_EXPORTER_OTLP_HEADERS"));
  EXPECT_THAT(r.warnings[2], HasSubstr("\"x\""));
  // Values may be secrets: a warning never quotes one.
  for (const auto& w : r.warnings) {
    EXPECT_THAT(w, ::testing::Not(HasSubstr("prop")));
    EXPECT_THAT(w, ::testing::Not(HasSubstr("text/plain")));
  }
}

TEST(OtlpOptionsFromEnv, TimeoutCompressionProtocolParse) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_TIMEOUT", "2500"},
                 {"OTEL_EXPORTER_OTLP_COMPRESSION", "GZIP"},
                 {"OTEL_EXPORTER_OTLP_PROTOCOL", "HTTP/JSON"}});
  EXPECT_EQ(r.options.timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(r.options.compression, Compression::kGzip);
  EXPECT_EQ(r.options.protocol, Protocol::kHttpJson);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(OtlpOptionsFromEnv, SignalSpecificOptionsWin) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_TIMEOUT", "2500"},
                 {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "700"},
                 {"OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"},
                 {"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "none"},
                 {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"},
                 {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf"}});
  EXPECT_EQ(r.options.timeout, std::chrono::milliseconds(700));
  EXPECT_EQ(r.options.compression, Compression::kNone);
  EXPECT_EQ(r.options.protocol, Protocol::kHttpProtobuf);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(OtlpOptionsFromEnv, ZeroTimeoutMeansNoLimit) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_TIMEOUT", "0"}});
  EXPECT_EQ(r.options.timeout, kNoTimeout);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(OtlpOptionsFromEnv, InvalidValuesWarnAndFallBack) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_TIMEOUT", "-5"},
                 {"OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"},
                 {"OTEL_EXPORTER_OTLP_PROTOCOL", "thrift"}});
  EXPECT_EQ(r.options.timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(r.options.compression, Compression::kNone);
  EXPECT_EQ(r.options.protocol, Protocol::kHttpProtobuf);
  ASSERT_EQ(r.warnings.size(), 3u);
  EXPECT_THAT(r.warnings[0], HasSubstr("OTEL_EXPORTER_OTLP_TIMEOUT=\"-5\""));
  EXPECT_THAT(r.warnings[1], HasSubstr("OTEL_EXPORTER_OTLP_COMPRESSION=\"zstd\""));
  EXPECT_THAT(r.warnings[2], HasSubstr("OTEL_EXPORTER_OTLP_PROTOCOL=\"thrift\""));
}

TEST(OtlpOptionsFromEnv, InvalidSignalSpecificValueFallsBackToGenericOne) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_TIMEOUT", "3000"},
                 {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "soon"},
                 {"OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"},
                 {"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "brotli"}});
  EXPECT_EQ(r.options.timeout, std::chrono::milliseconds(3000));
  EXPECT_EQ(r.options.compression, Compression::kGzip);
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_THAT(r.warnings[0], HasSubstr("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"));
  EXPECT_THAT(r.warnings[1], HasSubstr("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"));
}

TEST(OtlpOptionsFromEnv, GrpcIsNotSupportedAndWarns) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  EXPECT_EQ(r.options.protocol, Protocol::kHttpProtobuf);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("grpc"));
  EXPECT_THAT(r.warnings[0], HasSubstr("OTLP/HTTP only"));
}

TEST(OtlpOptionsFromEnv, EmptyValuesMeanUnset) {
  auto r = Read({{"OTEL_EXPORTER_OTLP_ENDPOINT", ""},
                 {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "  "},
                 {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"}});
  EXPECT_EQ(r.options.endpoint_url, kDefaultTracesEndpoint);
  EXPECT_EQ(r.options.protocol, Protocol::kHttpJson);
  EXPECT_TRUE(r.warnings.empty());
}

}  // namespace
}  // namespace hotorder::telemetry::otlp
