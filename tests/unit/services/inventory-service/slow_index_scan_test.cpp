#include "inventory-service/slow_index_scan.hpp"

#include <gtest/gtest.h>

#include "http/http_error.hpp"

namespace hotorder::inventory {
namespace {

using nlohmann::json;

SlowIndexScanSettings FromEnv(std::vector<std::pair<std::string, std::string>> values,
                              std::size_t expected_warnings = 0) {
  config::EnvReader env(config::FixedEnv(std::move(values)));
  auto settings = SlowIndexScanFromEnv(env);
  EXPECT_EQ(env.Warnings().size(), expected_warnings);
  return settings;
}

TEST(SlowIndexScanFromEnv, DefaultsToOffSleep350AndEveryRequest) {
  EXPECT_EQ(FromEnv({}), (SlowIndexScanSettings{false, FaultMode::kSleep, 350, 1.0}));
}

TEST(SlowIndexScanFromEnv, ReadsEveryKnob) {
  EXPECT_EQ(FromEnv({{"FAULT_SLOW_INDEX_SCAN", "on"},
                     {"FAULT_SLOW_INDEX_SCAN_MODE", "seqscan"},
                     {"FAULT_SLOW_INDEX_SCAN_DELAY_MS", "500"},
                     {"FAULT_SLOW_INDEX_SCAN_RATIO", "0.25"}}),
            (SlowIndexScanSettings{true, FaultMode::kSeqScan, 500, 0.25}));
}

TEST(SlowIndexScanFromEnv, BadValuesWarnAndKeepTheDefaults) {
  EXPECT_EQ(FromEnv({{"FAULT_SLOW_INDEX_SCAN", "maybe"},
                     {"FAULT_SLOW_INDEX_SCAN_MODE", "fast"},
                     {"FAULT_SLOW_INDEX_SCAN_DELAY_MS", "-5"},
                     {"FAULT_SLOW_INDEX_SCAN_RATIO", "1.5"}},
                    4),
            SlowIndexScanSettings{});
}

TEST(ApplySlowIndexScanUpdate, ReplacesOnlyTheFieldsGiven) {
  SlowIndexScanSettings current{true, FaultMode::kSeqScan, 100, 0.5};
  EXPECT_EQ(ApplySlowIndexScanUpdate(current, json{{"enabled", false}}),
            (SlowIndexScanSettings{false, FaultMode::kSeqScan, 100, 0.5}));
  EXPECT_EQ(ApplySlowIndexScanUpdate(current, json::object()), current);
  EXPECT_EQ(ApplySlowIndexScanUpdate(current, json{{"mode", "sleep"}, {"delay_ms", 0}, {"ratio", 1}}),
            (SlowIndexScanSettings{true, FaultMode::kSleep, 0, 1.0}));
}

TEST(ApplySlowIndexScanUpdate, RefusesBadFieldsNamingThem) {
  const std::pair<json, std::string> cases[] = {
      {json::array(), "object"},
      {json{{"enabled", 1}}, "enabled"},
      {json{{"mode", "SLEEP"}}, "mode"},
      {json{{"delay_ms", 60001}}, "delay_ms"},
      {json{{"delay_ms", "350"}}, "delay_ms"},
      {json{{"ratio", -0.5}}, "ratio"},
      {json{{"ratio", nullptr}}, "ratio"},
      {json{{"delay", 5}}, "unknown field \"delay\""},
  };
  for (const auto& [body, mentioned] : cases) {
    try {
      ApplySlowIndexScanUpdate({}, body);
      ADD_FAILURE() << "accepted " << body;
    } catch (const http::HttpError& error) {
      EXPECT_EQ(error.status(), 400u);
      EXPECT_EQ(error.code(), "invalid_fault");
      EXPECT_NE(std::string(error.what()).find(mentioned), std::string::npos) << error.what();
    }
  }
}

TEST(DecideSlowIndexScan, OffMeansNoFaultWhateverTheDraw) {
  EXPECT_FALSE(DecideSlowIndexScan({}, {}, 0.0).active());
}

TEST(DecideSlowIndexScan, RatioIsTheShareOfDrawsBelowIt) {
  SlowIndexScanSettings settings{true, FaultMode::kSleep, 350, 0.3};
  EXPECT_EQ(DecideSlowIndexScan(settings, {}, 0.29).trigger, FaultDecision::Trigger::kRatio);
  EXPECT_FALSE(DecideSlowIndexScan(settings, {}, 0.3).active());
  settings.ratio = 0;
  EXPECT_FALSE(DecideSlowIndexScan(settings, {}, 0.0).active());
  settings.ratio = 1;
  EXPECT_TRUE(DecideSlowIndexScan(settings, {}, 0.999).active());
}

TEST(DecideSlowIndexScan, BaggageOptsARequestInWithTheCurrentMode) {
  auto baggage = telemetry::Baggage().Set("hotorder.fault", "slow-index-scan");
  auto decision = DecideSlowIndexScan({false, FaultMode::kSeqScan, 120, 0.0}, baggage, 0.9);
  EXPECT_EQ(decision.trigger, FaultDecision::Trigger::kBaggage);
  EXPECT_EQ(decision.mode, FaultMode::kSeqScan);
  EXPECT_EQ(decision.delay_ms, 120);
  auto other = telemetry::Baggage().Set("hotorder.fault", "something-else");
  EXPECT_FALSE(DecideSlowIndexScan({}, other, 0.0).active());
}

TEST(DecideSlowIndexScan, AMissingIndexSlowsEveryRequestWhateverTheRatio) {
  const SlowIndexScanSettings settings{true, FaultMode::kMissingIndex, 350, 0.0};
  auto decision = DecideSlowIndexScan(settings, {}, 0.999);
  EXPECT_EQ(decision.trigger, FaultDecision::Trigger::kIndex);
  EXPECT_EQ(decision.mode, FaultMode::kMissingIndex);
  EXPECT_EQ(TriggerName(decision.trigger), "missing-index");
}

TEST(DecideSlowIndexScan, BaggageInMissingIndexModeGetsSeqscanForThatRequestOnly) {
  auto baggage = telemetry::Baggage().Set("hotorder.fault", "slow-index-scan");
  auto decision = DecideSlowIndexScan({false, FaultMode::kMissingIndex, 350, 1.0}, baggage, 0.5);
  EXPECT_EQ(decision.trigger, FaultDecision::Trigger::kBaggage);
  EXPECT_EQ(decision.mode, FaultMode::kSeqScan);
  EXPECT_FALSE(DecideSlowIndexScan({false, FaultMode::kMissingIndex, 350, 1.0}, {}, 0.0).active());
}

TEST(FaultMode, NamesRoundTrip) {
  for (auto mode : {FaultMode::kSleep, FaultMode::kSeqScan, FaultMode::kMissingIndex}) {
    EXPECT_EQ(ParseFaultMode(FaultModeName(mode)), mode);
  }
  EXPECT_EQ(FaultModeName(FaultMode::kMissingIndex), "missing-index");
  EXPECT_FALSE(ParseFaultMode("missing_index").has_value());
}

}  // namespace
}  // namespace hotorder::inventory
