#include "log/logger.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hotorder::log {
namespace {

class CapturingSink final : public Sink {
 public:
  void Write(std::string_view line) noexcept override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(line);
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

telemetry::SpanContext SampleSpan() {
  auto trace = telemetry::TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  auto span = telemetry::SpanId::FromHex("00f067aa0ba902b7");
  return telemetry::SpanContext(*trace, *span, 0x01, false);
}

TEST(Logger, WritesOneJsonObjectPerLineWithTraceIds) {
  auto sink = std::make_shared<CapturingSink>();
  Logger logger("order-service", Level::kInfo, sink);
  logger.For(SampleSpan()).Info("order placed", {{"order_id", 42}, {"tier", "gold"}});

  auto lines = sink->lines();
  ASSERT_EQ(lines.size(), 1u);
  auto json = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(json["level"], "info");
  EXPECT_EQ(json["service"], "order-service");
  EXPECT_EQ(json["msg"], "order placed");
  EXPECT_EQ(json["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(json["span_id"], "00f067aa0ba902b7");
  EXPECT_EQ(json["trace_flags"], "01");
  EXPECT_EQ(json["order_id"], 42);
  EXPECT_EQ(json["tier"], "gold");
  EXPECT_TRUE(json["ts"].get<std::string>().ends_with("Z"));
}

TEST(Logger, OmitsTraceIdsWithoutSpan) {
  auto sink = std::make_shared<CapturingSink>();
  Logger("svc", Level::kDebug, sink).Warn("no span");
  auto json = nlohmann::json::parse(sink->lines().at(0));
  EXPECT_FALSE(json.contains("trace_id"));
  EXPECT_FALSE(json.contains("span_id"));
}

TEST(Logger, FiltersBelowMinimumLevel) {
  auto sink = std::make_shared<CapturingSink>();
  Logger logger("svc", Level::kWarn, sink);
  logger.Debug("hidden");
  logger.Info("hidden");
  logger.Error("shown");
  ASSERT_EQ(sink->lines().size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(sink->lines()[0])["msg"], "shown");
}

TEST(Logger, EscapesUntrustedTextIntoValidJson) {
  auto sink = std::make_shared<CapturingSink>();
  const std::string hostile = std::string("quote\" newline\n nul") + '\0' + "bad\xff";
  Logger("svc", Level::kInfo, sink).Info("input", {{"sku", hostile}});
  auto json = nlohmann::json::parse(sink->lines().at(0));
  const auto sku = json["sku"].get<std::string>();
  EXPECT_NE(sku.find("quote\" newline\n nul"), std::string::npos);
  EXPECT_EQ(sink->lines()[0].find('\n'), std::string::npos);
}

TEST(Logger, WritesEveryFieldTypeAsItsJsonType) {
  auto sink = std::make_shared<CapturingSink>();
  Logger("svc", Level::kInfo, sink)
      .Info("typed", {{"count", -7}, {"ratio", 0.25}, {"ok", false}, {"nan", std::nan("")},
                      {"big", std::int64_t{9007199254740993}}});
  auto json = nlohmann::json::parse(sink->lines().at(0));
  EXPECT_EQ(json["count"], -7);
  EXPECT_EQ(json["ratio"], 0.25);
  EXPECT_EQ(json["ok"], false);
  EXPECT_TRUE(json["nan"].is_null());
  EXPECT_EQ(json["big"].get<std::int64_t>(), 9007199254740993);
  // The standard members first, in a fixed order, so a line reads the same way every time.
  EXPECT_TRUE(sink->lines()[0].starts_with(R"({"ts":")"));
  EXPECT_NE(sink->lines()[0].find(R"(","level":"info","service":"svc","msg":"typed",)"),
            std::string::npos);
}

TEST(Logger, ParsesLevelNames) {
  EXPECT_EQ(ParseLevel("debug"), Level::kDebug);
  EXPECT_EQ(ParseLevel("warning"), Level::kWarn);
  EXPECT_FALSE(ParseLevel("loud").has_value());
}

}  // namespace
}  // namespace hotorder::log
