#include "tools/investigate/options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace hotorder::investigate {
namespace {

using ::testing::HasSubstr;
constexpr const char* kId = "4bf92f3577b34da6a3ce929d0e0e4736";

std::variant<Options, UsageError, HelpRequested> Parse(std::initializer_list<const char*> args,
                                                       std::string_view jaeger_env = "") {
  std::vector<const char*> argv = {"investigate"};
  argv.insert(argv.end(), args.begin(), args.end());
  return ParseOptions(static_cast<int>(argv.size()), argv.data(), jaeger_env);
}

Options Ok(std::initializer_list<const char*> args, std::string_view jaeger_env = "") {
  auto parsed = Parse(args, jaeger_env);
  if (auto* error = std::get_if<UsageError>(&parsed)) {
    ADD_FAILURE() << error->message;
    return {};
  }
  EXPECT_TRUE(std::holds_alternative<Options>(parsed));
  return std::holds_alternative<Options>(parsed) ? std::get<Options>(parsed) : Options{};
}

std::string Error(std::initializer_list<const char*> args, std::string_view jaeger_env = "") {
  auto parsed = Parse(args, jaeger_env);
  if (auto* error = std::get_if<UsageError>(&parsed)) return error->message;
  ADD_FAILURE() << "parsed without an error";
  return {};
}

std::string Help(std::initializer_list<const char*> args) {
  auto parsed = Parse(args);
  if (auto* help = std::get_if<HelpRequested>(&parsed)) return help->text;
  ADD_FAILURE() << "no help";
  return {};
}

TEST(InvestigateOptions, FindDefaults) {
  const Options options = Ok({"find"});
  EXPECT_EQ(options.command, Command::kFind);
  EXPECT_EQ(options.search.service, "api-gateway");
  EXPECT_EQ(options.search.operation, "");
  EXPECT_EQ(options.search.lookback, std::chrono::hours(1));
  EXPECT_EQ(options.search.limit, 20);
  EXPECT_FALSE(options.search.min_duration);
  EXPECT_FALSE(options.search.max_duration);
  EXPECT_FALSE(options.wait);
  EXPECT_EQ(options.timeout, std::chrono::seconds(5));
  EXPECT_EQ(options.jaeger.text, "http://127.0.0.1:16686");
  EXPECT_FALSE(options.json);
}

TEST(InvestigateOptions, FindTakesEveryFilter) {
  const Options options =
      Ok({"find", "--service", "order-service", "--operation=POST /orders", "--min-duration",
          "300ms", "--max-duration", "2s", "--lookback", "15m", "--limit", "5", "--json",
          "--wait", "10s", "--timeout", "1.5s"});
  EXPECT_EQ(options.search.service, "order-service");
  EXPECT_EQ(options.search.operation, "POST /orders");
  EXPECT_EQ(options.search.min_duration, Micros(300'000));
  EXPECT_EQ(options.search.max_duration, Micros(2'000'000));
  EXPECT_EQ(options.search.lookback, std::chrono::minutes(15));
  EXPECT_EQ(options.search.limit, 5);
  EXPECT_TRUE(options.json);
  EXPECT_EQ(options.wait, Micros(10'000'000));
  EXPECT_EQ(options.timeout, Micros(1'500'000));
}

TEST(InvestigateOptions, ShowAndExplainTakeATraceId) {
  const Options show = Ok({"show", "4BF92F3577B34DA6A3CE929D0E0E4736", "--ascii"});
  EXPECT_EQ(show.command, Command::kShow);
  EXPECT_EQ(show.trace_id, kId);
  EXPECT_TRUE(show.ascii);
  const Options explain = Ok({"explain", "--json", "a3ce929d0e0e4736"});
  EXPECT_EQ(explain.command, Command::kExplain);
  EXPECT_EQ(explain.trace_id, "a3ce929d0e0e4736");
  EXPECT_TRUE(explain.json);
}

TEST(InvestigateOptions, KeptTakesLabelledFilesInOrder) {
  const Options kept = Ok({"kept", "errors=e.tsv", "--json", "rest=r.tsv"});
  EXPECT_EQ(kept.command, Command::kKept);
  ASSERT_EQ(kept.id_files.size(), 2u);
  EXPECT_EQ(kept.id_files[0].label, "errors");
  EXPECT_EQ(kept.id_files[0].path, "e.tsv");
  EXPECT_EQ(kept.id_files[1].label, "rest");
  EXPECT_TRUE(kept.json);
  EXPECT_THAT(Error({"kept"}), HasSubstr("kept needs at least one LABEL=FILE"));
  EXPECT_THAT(Error({"kept", "e.tsv"}), HasSubstr("kept takes LABEL=FILE, not \"e.tsv\""));
  EXPECT_THAT(Error({"kept", "=e.tsv"}), HasSubstr("kept takes LABEL=FILE"));
}

TEST(InvestigateOptions, JaegerUrlFromFlagThenEnvThenDefault) {
  EXPECT_EQ(Ok({"show", kId}, "http://jaeger:16686/").jaeger.text, "http://jaeger:16686");
  const Options flagged = Ok({"--jaeger", "http://127.0.0.1:9/prefix/", "show", kId},
                             "http://jaeger:16686");
  EXPECT_EQ(flagged.jaeger.text, "http://127.0.0.1:9/prefix");
  EXPECT_EQ(flagged.jaeger.host, "127.0.0.1");
  EXPECT_EQ(flagged.jaeger.port, "9");
  EXPECT_EQ(flagged.jaeger.path_prefix, "/prefix");
  EXPECT_EQ(Ok({"show", kId}).jaeger.port, "16686");
}

TEST(InvestigateOptions, EachBadInputHasAClearMessage) {
  EXPECT_THAT(Error({}), HasSubstr("a command is needed"));
  EXPECT_THAT(Error({"list"}), HasSubstr("no command \"list\": use find, show, explain or kept"));
  EXPECT_THAT(Error({"find", "--bogus"}), HasSubstr("unknown option --bogus for find"));
  EXPECT_THAT(Error({"--bogus", "find"}), HasSubstr("unknown option --bogus before the command"));
  EXPECT_THAT(Error({"show"}), HasSubstr("show needs a TRACE_ID"));
  EXPECT_THAT(Error({"show", "xyz"}), HasSubstr("trace id \"xyz\" is malformed: expected 32 hex digits"));
  EXPECT_THAT(Error({"explain", "4bf92f3577b34da6a3ce929d0e0e473g"}), HasSubstr("is malformed"));
  EXPECT_THAT(Error({"show", kId, kId}), HasSubstr("unexpected argument"));
  EXPECT_THAT(Error({"find", "extra"}), HasSubstr("unexpected argument \"extra\" for find"));
  EXPECT_THAT(Error({"find", "--min-duration", "300"}),
              HasSubstr("--min-duration \"300\" is not a duration (like 300ms, 1.5s, 2m)"));
  EXPECT_THAT(Error({"find", "--lookback", "0s"}), HasSubstr("--lookback must be > 0"));
  EXPECT_THAT(Error({"find", "--limit", "0"}), HasSubstr("--limit \"0\" is not a number from 1 to 1000"));
  EXPECT_THAT(Error({"find", "--limit", "ten"}), HasSubstr("--limit \"ten\""));
  EXPECT_THAT(Error({"find", "--service"}), HasSubstr("--service needs a value"));
  EXPECT_THAT(Error({"find", "--service="}), HasSubstr("--service must not be empty"));
  EXPECT_THAT(Error({"find", "--min-duration", "2s", "--max-duration", "1s"}),
              HasSubstr("--max-duration is shorter than --min-duration"));
  EXPECT_THAT(Error({"find", "--ascii"}), HasSubstr("unknown option --ascii for find"));
  EXPECT_THAT(Error({"explain", kId, "--service", "x"}), HasSubstr("unknown option --service for explain"));
  EXPECT_THAT(Error({"find", "--json=yes"}), HasSubstr("--json takes no value"));
  EXPECT_THAT(Error({"show", kId, "--timeout", "0ms"}), HasSubstr("--timeout must be > 0"));
  EXPECT_THAT(Error({"show", kId, "--wait", "soon"}), HasSubstr("--wait \"soon\" is not a duration"));
  EXPECT_THAT(Error({"show", kId, "--jaeger", "https://jaeger"}),
              HasSubstr("--jaeger \"https://jaeger\": only http:// is supported"));
  EXPECT_THAT(Error({"show", kId, "--jaeger", "http://:16686"}), HasSubstr("no host"));
  EXPECT_THAT(Error({"show", kId, "--jaeger", "http://h:99999"}), HasSubstr("bad port"));
  EXPECT_THAT(Error({"show", kId}, "jaeger:16686"),
              HasSubstr("JAEGER_UI_URL \"jaeger:16686\" is not an http:// URL"));
}

TEST(InvestigateOptions, HelpForTheProgramAndEachCommand) {
  EXPECT_THAT(Help({"--help"}), HasSubstr("usage: investigate <command>"));
  EXPECT_THAT(Help({"-h"}), HasSubstr("Exit codes:"));
  EXPECT_THAT(Help({"find", "--help"}), HasSubstr("usage: investigate find"));
  EXPECT_THAT(Help({"show", "-h"}), HasSubstr("usage: investigate show TRACE_ID"));
  EXPECT_THAT(Help({"explain", "--help"}), HasSubstr("\"critical_path\""));
  EXPECT_THAT(Help({"help", "find"}), HasSubstr("--min-duration D"));
  // Help wins over a bad argument next to it: a person asking for help gets it.
  EXPECT_THAT(Help({"show", "nothex", "--help"}), HasSubstr("usage: investigate show"));
  for (const char* code : {"0  done", "1  Jaeger unreachable", "2  usage error", "3  not found"}) {
    EXPECT_THAT(Help({"--help"}), HasSubstr(code));
  }
}

TEST(InvestigateNormalizeTraceId, AcceptsThirtyTwoOrSixteenHexDigits) {
  EXPECT_EQ(NormalizeTraceId("4BF92F3577B34DA6A3CE929D0E0E4736"), kId);
  EXPECT_EQ(NormalizeTraceId("a3ce929d0e0e4736"), "a3ce929d0e0e4736");
  EXPECT_FALSE(NormalizeTraceId(""));
  EXPECT_FALSE(NormalizeTraceId("4bf92f3577b34da6a3ce929d0e0e473"));
  EXPECT_FALSE(NormalizeTraceId("4bf92f3577b34da6a3ce929d0e0e4736 "));
  EXPECT_FALSE(NormalizeTraceId("zzf92f3577b34da6a3ce929d0e0e4736"));
}

}  // namespace
}  // namespace hotorder::investigate
