#include "tools/stage_times/stage_times.hpp"

#include <gtest/gtest.h>

namespace hotorder::stage_times {
namespace {

TEST(StageTimes, ParsesARecord) {
  std::string error;
  auto record = ParseStageLine("unit\t1000\t43500\tok", error);
  ASSERT_TRUE(record) << error;
  EXPECT_EQ(record->name, "unit");
  EXPECT_EQ(record->start_ms, 1000);
  EXPECT_EQ(record->end_ms, 43500);
  EXPECT_EQ(record->result, "ok");
}

TEST(StageTimes, NamesMayContainSpaces) {
  std::string error;
  auto record = ParseStageLine("cold-path guard\t0\t1\tFAILED", error);
  ASSERT_TRUE(record) << error;
  EXPECT_EQ(record->name, "cold-path guard");
}

TEST(StageTimes, RejectsMalformedLines) {
  std::string error;
  EXPECT_FALSE(ParseStageLine("unit 1000 2000 ok", error));
  EXPECT_NE(error.find("4 tab-separated fields"), std::string::npos) << error;
  EXPECT_FALSE(ParseStageLine("unit\t10x\t2000\tok", error));
  EXPECT_FALSE(ParseStageLine("unit\t-5\t2000\tok", error));
  EXPECT_FALSE(ParseStageLine("unit\t3000\t2000\tok", error));
  EXPECT_EQ(error, "the stage ends before it starts");
}

TEST(StageTimes, FormatsDurationsRoundedToSeconds) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(42'499), "42s");
  EXPECT_EQ(FormatDuration(42'500), "43s");
  EXPECT_EQ(FormatDuration(187'000), "3m 07s");
  EXPECT_EQ(FormatDuration(3'723'000), "1h 02m 03s");
}

TEST(StageTimes, TableHasARowPerStageAndTheWallTime) {
  const std::vector<StageRecord> stages = {
      {"setup", 0, 12'000, "ok"},
      {"build", 12'000, 200'000, "ok"},
      {"unit", 200'000, 260'000, "FAILED"},
  };
  const std::string expected =
      "stage  time         result\n"
      "setup  12s          ok\n"
      "build  3m 08s       ok\n"
      "unit   1m 00s       FAILED\n"
      "total  4m 20s\n";
  EXPECT_EQ(RenderStageTable(stages), expected);
}

TEST(StageTimes, EmptyInputGivesOnlyTheHeader) {
  EXPECT_EQ(RenderStageTable({}), "stage  time         result\n");
}

}  // namespace
}  // namespace hotorder::stage_times
