#include "inventory-service/fault_control.hpp"

#include <gtest/gtest.h>

#include "fake_stock_index.hpp"
#include "http/http_error.hpp"

namespace hotorder::inventory {
namespace {

using nlohmann::json;

const SlowIndexScanSettings kMissingIndexOn{true, FaultMode::kMissingIndex, 350, 1.0};

class FaultControlTest : public ::testing::Test {
 protected:
  FaultSwitch faults_{SlowIndexScanSettings{}};
  FakeStockIndex index_;
  FaultControl control_{faults_, index_};
  telemetry::Context trace_;
};

TEST_F(FaultControlTest, StartingInMissingIndexModeDropsTheIndex) {
  faults_.Set(kMissingIndexOn);
  auto status = control_.Start(trace_);
  EXPECT_EQ(status.index, StockIndexState::kMissing);
  EXPECT_EQ(index_.calls, std::vector<std::string>{"drop"});
}

TEST_F(FaultControlTest, StartingOtherwiseLeavesTheDatabaseAlone) {
  faults_.Set({true, FaultMode::kSeqScan, 350, 1.0});
  EXPECT_EQ(control_.Start(trace_).index, StockIndexState::kUnique);
  EXPECT_TRUE(index_.calls.empty());
}

TEST_F(FaultControlTest, AMissingOrInvalidIndexTurnsTheSwitchToMissingIndex) {
  for (auto state : {StockIndexState::kMissing, StockIndexState::kInvalid}) {
    faults_.Set({});
    index_.state = state;
    auto status = control_.Start(trace_);  // a restart after `down`: the index stays gone
    EXPECT_EQ(status.settings, kMissingIndexOn) << StockIndexStateName(state);
    EXPECT_EQ(faults_.Get(), kMissingIndexOn);
    EXPECT_TRUE(index_.calls.empty());
  }
}

TEST_F(FaultControlTest, TheLessonsNonUniqueIndexIsUsableAndLeavesTheSwitchAsItIs) {
  faults_.Set(kMissingIndexOn);
  index_.state = StockIndexState::kNonUnique;  // CREATE INDEX CONCURRENTLY ON stock(sku);
  auto status = control_.Reconcile(trace_);
  EXPECT_EQ(status.index, StockIndexState::kNonUnique);
  EXPECT_EQ(status.settings, kMissingIndexOn);  // on until the learner says off
}

TEST_F(FaultControlTest, OffInAnyModeEndsWithAUniqueIndex) {
  for (auto state : {StockIndexState::kMissing, StockIndexState::kInvalid,
                     StockIndexState::kNonUnique, StockIndexState::kUnique}) {
    faults_.Set(kMissingIndexOn);
    index_.state = state;
    auto change = control_.Apply(trace_, json{{"enabled", false}});
    EXPECT_EQ(change.previous, kMissingIndexOn);
    EXPECT_FALSE(change.now.settings.enabled);
    EXPECT_EQ(change.now.index, StockIndexState::kUnique) << StockIndexStateName(state);
  }
}

TEST_F(FaultControlTest, AnotherModeOnRestoresTheIndexFirst) {
  index_.state = StockIndexState::kMissing;
  auto change = control_.Apply(trace_, json{{"enabled", true}, {"mode", "seqscan"}});
  EXPECT_EQ(change.now.settings.mode, FaultMode::kSeqScan);
  EXPECT_EQ(change.now.index, StockIndexState::kUnique);
}

TEST_F(FaultControlTest, ABadBodyTouchesNeitherTheIndexNorTheSwitch) {
  EXPECT_THROW(control_.Apply(trace_, json{{"mode", "missing_index"}}), http::HttpError);
  EXPECT_TRUE(index_.calls.empty());
  EXPECT_EQ(faults_.Get(), SlowIndexScanSettings{});
}

TEST_F(FaultControlTest, AFailedDropLeavesTheSwitchSayingWhatIsTrue) {
  index_.failing = true;
  EXPECT_THROW(control_.Apply(trace_, json{{"enabled", true}, {"mode", "missing-index"}}),
               http::HttpError);
  EXPECT_EQ(faults_.Get(), SlowIndexScanSettings{});
}

TEST_F(FaultControlTest, StatusJsonNamesTheIndexState) {
  auto body = FaultStatusJson({kMissingIndexOn, StockIndexState::kMissing});
  EXPECT_EQ(body, json::parse(R"({"enabled":true,"mode":"missing-index","delay_ms":350,
                                  "ratio":1.0,"stock_sku_idx":"missing"})"));
}

}  // namespace
}  // namespace hotorder::inventory
