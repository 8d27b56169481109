#include "tools/investigate/kept_report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "fake_jaeger.hpp"
#include "support/test_http_server.hpp"
#include "tools/investigate/commands.hpp"

namespace hotorder::investigate {
namespace {

using ::testing::HasSubstr;
using namespace testing;

constexpr const char* kKeptId = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr const char* kDroppedId = "0af7651916cd43dd8448eb211c80319c";

TEST(ParseTraceIdFile, ReadsTheFirstFieldOfEachLineAfterTheHeader) {
  auto parsed = ParseTraceIdFile(
      "trace_id\tscenario\tstatus\tlatency_us\n"
      "4BF92F3577B34DA6A3CE929D0E0E4736\tok\t201\t900\r\n"
      "\n"
      "0af7651916cd43dd8448eb211c80319c\tunknown-sku\t404\t700");
  ASSERT_TRUE(std::holds_alternative<std::vector<std::string>>(parsed));
  EXPECT_EQ(std::get<std::vector<std::string>>(parsed),
            (std::vector<std::string>{kKeptId, kDroppedId}));
}

TEST(ParseTraceIdFile, NamesTheLineThatIsNotATraceId) {
  auto parsed = ParseTraceIdFile("trace_id\n4bf92f3577b34da6a3ce929d0e0e4736\nnot-an-id\tok\n");
  ASSERT_TRUE(std::holds_alternative<IdFileError>(parsed));
  EXPECT_EQ(std::get<IdFileError>(parsed).message, "line 3: \"not-an-id\" is not a trace id");
}

TEST(KeptReport, TableAndJsonAgree) {
  const std::vector<KeptGroup> groups = {{"errors", 20, 20}, {"rest", 200, 19}, {"none", 0, 0}};
  const auto table = FormatKeptTable(groups);
  EXPECT_THAT(table, HasSubstr("GROUP"));
  EXPECT_THAT(table, HasSubstr("100%"));
  EXPECT_THAT(table, HasSubstr("181"));  // dropped of the rest
  EXPECT_THAT(table, HasSubstr("10%"));
  const auto json = KeptJson(groups);
  EXPECT_EQ(json["groups"][1]["dropped"], 181);
  EXPECT_DOUBLE_EQ(json["groups"][1]["kept_share"].get<double>(), 0.095);
  EXPECT_EQ(json["groups"][2]["kept_share"], 0.0);
}

TEST(KeptCommand, AsksJaegerForEveryTraceAndCountsWhatItHas) {
  test::TestHttpServer server;
  server.SetHandler([](const test::RecordedRequest& request) {
    if (request.target.find(kKeptId) != std::string::npos) return Json(200, TraceAnswerJson());
    return Json(404, {{"data", nullptr}});
  });
  const std::string path = ::testing::TempDir() + "investigate_kept_ids.tsv";
  std::ofstream(path) << "trace_id\tscenario\tstatus\tlatency_us\n"
                      << kKeptId << "\tok\t201\t900\n"
                      << kDroppedId << "\tok\t201\t800\n";
  Options options;
  options.command = Command::kKept;
  options.jaeger = UrlOf(server.BaseUrl());
  options.json = true;
  options.id_files = {{"plain", path}};
  std::ostringstream out, err;
  ASSERT_EQ(RunCommand(options, out, err), kExitOk) << err.str();
  const auto json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json["groups"][0]["label"], "plain");
  EXPECT_EQ(json["groups"][0]["sent"], 2);
  EXPECT_EQ(json["groups"][0]["kept"], 1);
  EXPECT_EQ(server.RequestCount(), 2u);
  std::remove(path.c_str());
}

TEST(KeptCommand, AMissingFileIsAUsageError) {
  Options options;
  options.command = Command::kKept;
  options.jaeger = UrlOf("http://127.0.0.1:9");
  options.id_files = {{"plain", "/nonexistent/ids.tsv"}};
  std::ostringstream out, err;
  EXPECT_EQ(RunCommand(options, out, err), kExitUsage);
  EXPECT_THAT(err.str(), HasSubstr("cannot read /nonexistent/ids.tsv"));
}

}  // namespace
}  // namespace hotorder::investigate
