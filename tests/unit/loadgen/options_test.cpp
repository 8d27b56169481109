#include "loadgen/options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace hotorder::loadgen {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

std::variant<Options, UsageError, HelpRequested> Parse(std::initializer_list<const char*> args,
                                                       std::string jaeger = "") {
  std::vector<const char*> argv = {"loadgen"};
  argv.insert(argv.end(), args.begin(), args.end());
  return ParseOptions(static_cast<int>(argv.size()), argv.data(), std::move(jaeger));
}

Options Ok(std::initializer_list<const char*> args) {
  auto parsed = Parse(args);
  if (auto* error = std::get_if<UsageError>(&parsed)) {
    ADD_FAILURE() << error->message;
    return {};
  }
  EXPECT_TRUE(std::holds_alternative<Options>(parsed));
  return std::holds_alternative<Options>(parsed) ? std::get<Options>(parsed) : Options{};
}

std::string Error(std::initializer_list<const char*> args) {
  auto parsed = Parse(args);
  if (auto* error = std::get_if<UsageError>(&parsed)) return error->message;
  ADD_FAILURE() << "parsed without an error";
  return {};
}

TEST(ParseOptions, Defaults) {
  auto options = Ok({});
  EXPECT_EQ(options.target, "http://127.0.0.1:8080");
  EXPECT_EQ(options.host, "127.0.0.1");
  EXPECT_EQ(options.port, 8080);
  EXPECT_EQ(options.mode, LoopMode::kClosed);
  EXPECT_EQ(options.concurrency, 1u);
  EXPECT_EQ(options.connections, 0u);
  EXPECT_EQ(options.duration, milliseconds(10'000));
  EXPECT_EQ(options.requests, std::nullopt);
  EXPECT_EQ(options.warmup, milliseconds(0));
  EXPECT_EQ(options.timeout, milliseconds(5000));
  EXPECT_EQ(FormatMix(options.mix), kDefaultMix);
  EXPECT_EQ(options.sku_count, 100000u);
  EXPECT_EQ(options.seed, 0u);
  EXPECT_FALSE(options.trace);
  EXPECT_TRUE(options.baggage.empty());
  EXPECT_EQ(options.slowest, 10u);
  EXPECT_EQ(options.json_path, "");
  EXPECT_EQ(options.csv_path, "");
  EXPECT_EQ(options.progress, std::nullopt);
  EXPECT_EQ(options.jaeger_ui_url, "http://localhost:16686");
}

TEST(ParseOptions, EveryFlagInBothForms) {
  auto options = Ok({"--rate", "250.5", "--connections=8", "--duration", "1.5s", "--warmup=2s",
                     "--timeout", "750ms", "--mix=ok=1,get=1", "--skus", "500", "--seed=99",
                     "--trace", "--baggage", "tenant=acme", "--baggage=plan=gold@0.25",
                     "--slowest", "3", "--json", "out.json", "--csv=out.csv", "--no-progress",
                     "--trace-ids", "ids.tsv",
                     "http://example.test:9000/"});
  EXPECT_EQ(options.mode, LoopMode::kOpen);
  EXPECT_DOUBLE_EQ(options.rate, 250.5);
  EXPECT_EQ(options.connections, 8u);
  EXPECT_EQ(options.duration, milliseconds(1500));
  EXPECT_EQ(options.warmup, milliseconds(2000));
  EXPECT_EQ(options.timeout, milliseconds(750));
  EXPECT_EQ(FormatMix(options.mix), "ok=1,get=1");
  EXPECT_EQ(options.sku_count, 500u);
  EXPECT_EQ(options.seed, 99u);
  EXPECT_TRUE(options.trace);
  ASSERT_EQ(options.baggage.size(), 2u);
  EXPECT_EQ(options.baggage[0].key, "tenant");
  EXPECT_EQ(options.baggage[0].value, "acme");
  EXPECT_DOUBLE_EQ(options.baggage[0].ratio, 1.0);
  EXPECT_EQ(options.baggage[1].key, "plan");
  EXPECT_EQ(options.baggage[1].value, "gold");
  EXPECT_DOUBLE_EQ(options.baggage[1].ratio, 0.25);
  EXPECT_EQ(options.slowest, 3u);
  EXPECT_EQ(options.json_path, "out.json");
  EXPECT_EQ(options.csv_path, "out.csv");
  EXPECT_EQ(options.trace_ids_path, "ids.tsv");
  EXPECT_EQ(options.progress, false);
  EXPECT_EQ(options.target, "http://example.test:9000");
  EXPECT_EQ(options.host, "example.test");
  EXPECT_EQ(options.port, 9000);
}

TEST(ParseOptions, ClosedLoopAndRequestCount) {
  auto options = Ok({"--concurrency=16", "--requests", "1000", "--progress", "--target",
                     "http://10.0.0.1"});
  EXPECT_EQ(options.mode, LoopMode::kClosed);
  EXPECT_EQ(options.concurrency, 16u);
  EXPECT_EQ(options.requests, 1000u);
  EXPECT_EQ(options.duration, std::nullopt);
  EXPECT_EQ(options.progress, true);
  EXPECT_EQ(options.host, "10.0.0.1");
  EXPECT_EQ(options.port, 80);  // http's default
  EXPECT_EQ(options.target, "http://10.0.0.1:80");
}

TEST(ParseOptions, Ipv6Target) {
  auto options = Ok({"http://[::1]:8081"});
  EXPECT_EQ(options.host, "::1");
  EXPECT_EQ(options.port, 8081);
  EXPECT_EQ(options.target, "http://[::1]:8081");
}

TEST(ParseOptions, JaegerUrlFromTheCaller) {
  auto parsed = Parse({}, "http://jaeger:16686/");
  EXPECT_EQ(std::get<Options>(parsed).jaeger_ui_url, "http://jaeger:16686");
}

TEST(ParseOptions, BaggageValueMayHoldAnAt) {
  auto options = Ok({"--baggage", "user=a@example.com"});
  ASSERT_EQ(options.baggage.size(), 1u);
  EXPECT_EQ(options.baggage[0].value, "a@example.com");
  EXPECT_DOUBLE_EQ(options.baggage[0].ratio, 1.0);
}

TEST(ParseOptions, Help) {
  EXPECT_TRUE(std::holds_alternative<HelpRequested>(Parse({"--help"})));
  EXPECT_TRUE(std::holds_alternative<HelpRequested>(Parse({"--rate", "x", "-h"})));
}

TEST(ParseOptions, ErrorsNameTheFlag) {
  EXPECT_THAT(Error({"--bogus"}), HasSubstr("--bogus"));
  EXPECT_THAT(Error({"--bogus=1"}), HasSubstr("--bogus"));
  EXPECT_THAT(Error({"-x"}), HasSubstr("-x"));
  EXPECT_THAT(Error({"--rate"}), HasSubstr("--rate"));
  EXPECT_THAT(Error({"--rate", "--trace"}), HasSubstr("--rate needs a value"));
  EXPECT_THAT(Error({"--rate", "fast"}), HasSubstr("--rate"));
  EXPECT_THAT(Error({"--rate", "0"}), HasSubstr("--rate"));
  EXPECT_THAT(Error({"--rate=-5"}), HasSubstr("--rate"));
  EXPECT_THAT(Error({"--rate", "inf"}), HasSubstr("--rate"));
  EXPECT_THAT(Error({"--concurrency", "0"}), HasSubstr("--concurrency"));
  EXPECT_THAT(Error({"--concurrency", "2x"}), HasSubstr("--concurrency"));
  EXPECT_THAT(Error({"--connections", "0"}), HasSubstr("--connections"));
  EXPECT_THAT(Error({"--requests", "0"}), HasSubstr("--requests"));
  EXPECT_THAT(Error({"--skus", "0"}), HasSubstr("--skus"));
  EXPECT_THAT(Error({"--seed", "-1"}), HasSubstr("--seed"));
  EXPECT_THAT(Error({"--slowest", "many"}), HasSubstr("--slowest"));
  EXPECT_THAT(Error({"--duration", "0s"}), HasSubstr("--duration"));
  EXPECT_THAT(Error({"--duration", "10parsecs"}), HasSubstr("--duration"));
  EXPECT_THAT(Error({"--timeout", "250us"}), HasSubstr("--timeout"));
  EXPECT_THAT(Error({"--warmup", "-1s"}), HasSubstr("--warmup"));
  EXPECT_THAT(Error({"--mix", "ok=1,nope=2"}), HasSubstr("--mix"));
  EXPECT_THAT(Error({"--mix", "ok=0"}), HasSubstr("--mix"));
  EXPECT_THAT(Error({"--trace=yes"}), HasSubstr("--trace takes no value"));
  EXPECT_THAT(Error({"--json="}), HasSubstr("--json"));
  EXPECT_THAT(Error({"--rate", "5", "--rate", "6"}), HasSubstr("more than once"));
}

TEST(ParseOptions, BadBaggage) {
  EXPECT_THAT(Error({"--baggage", "novalue"}), HasSubstr("--baggage"));
  EXPECT_THAT(Error({"--baggage", "bad key=v"}), HasSubstr("--baggage"));
  EXPECT_THAT(Error({"--baggage", "=v"}), HasSubstr("--baggage"));
  EXPECT_THAT(Error({"--baggage", "k=v@0"}), HasSubstr("(0, 1]"));
  EXPECT_THAT(Error({"--baggage", "k=v@1.5"}), HasSubstr("(0, 1]"));
  EXPECT_THAT(Error({"--baggage", "k=v@-0.5"}), HasSubstr("(0, 1]"));
}

TEST(ParseOptions, ExclusiveFlags) {
  EXPECT_THAT(Error({"--rate", "10", "--concurrency", "2"}), HasSubstr("--rate"));
  EXPECT_THAT(Error({"--duration", "5s", "--requests", "10"}), HasSubstr("--duration"));
  EXPECT_THAT(Error({"--progress", "--no-progress"}), HasSubstr("--progress"));
}

TEST(ParseOptions, BadTargets) {
  EXPECT_THAT(Error({"https://127.0.0.1:8443"}), HasSubstr("http://"));
  EXPECT_THAT(Error({"127.0.0.1:8080"}), HasSubstr("http://"));
  EXPECT_THAT(Error({"http://127.0.0.1:8080/api"}), HasSubstr("path"));
  EXPECT_THAT(Error({"http://:8080"}), HasSubstr("host"));
  EXPECT_THAT(Error({"http://127.0.0.1:"}), HasSubstr("port"));
  EXPECT_THAT(Error({"http://127.0.0.1:0"}), HasSubstr("port"));
  EXPECT_THAT(Error({"http://127.0.0.1:65536"}), HasSubstr("port"));
  EXPECT_THAT(Error({"http://user@host"}), HasSubstr("host"));
  EXPECT_THAT(Error({"http://a", "http://b"}), HasSubstr("twice"));
  EXPECT_THAT(Error({"--target", "http://a", "http://b"}), HasSubstr("twice"));
}

TEST(ParseDuration, Units) {
  EXPECT_EQ(ParseDuration("10s"), milliseconds(10'000));
  EXPECT_EQ(ParseDuration("500ms"), milliseconds(500));
  EXPECT_EQ(ParseDuration("2m"), milliseconds(120'000));
  EXPECT_EQ(ParseDuration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(ParseDuration("7"), milliseconds(7'000));
  EXPECT_EQ(ParseDuration("0.25s"), milliseconds(250));
  EXPECT_EQ(ParseDuration("0"), milliseconds(0));
  EXPECT_EQ(ParseDuration("250us"), std::nullopt);
  EXPECT_EQ(ParseDuration("0.5ms"), std::nullopt);
  EXPECT_EQ(ParseDuration(""), std::nullopt);
  EXPECT_EQ(ParseDuration("s"), std::nullopt);
  EXPECT_EQ(ParseDuration("ms"), std::nullopt);
  EXPECT_EQ(ParseDuration("-1s"), std::nullopt);
  EXPECT_EQ(ParseDuration("1d"), std::nullopt);
  EXPECT_EQ(ParseDuration("1e30h"), std::nullopt);
}

TEST(UsageText, ListsEveryFlag) {
  auto usage = UsageText();
  for (const char* flag : {"--target", "--rate", "--concurrency", "--connections", "--duration",
                           "--requests", "--warmup", "--timeout", "--mix", "--skus", "--seed",
                           "--trace", "--baggage", "--slowest", "--json", "--csv", "--trace-ids", "--progress",
                           "--no-progress", "--help"}) {
    EXPECT_THAT(usage, HasSubstr(flag));
  }
  EXPECT_THAT(usage, HasSubstr("loadgen --rate 200 --duration 30s http://127.0.0.1:8080"));
}

}  // namespace
}  // namespace hotorder::loadgen
