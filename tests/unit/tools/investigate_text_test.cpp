#include "tools/investigate/text.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

namespace hotorder::investigate {
namespace {

using nlohmann::json;

TEST(InvestigateFormatAttributes, QuotesValuesWithSpacesOrQuotes) {
  EXPECT_EQ(FormatAttributes({{"db.index", json("stock_sku_idx")}, {"db.rows_scanned", json(100000)}}),
            "db.index=stock_sku_idx db.rows_scanned=100000");
  EXPECT_EQ(FormatAttributes({{"k", json("a b")}, {"q", json("say \"hi\"")}, {"e", json("")}}),
            "k=\"a b\" q=\"say \\\"hi\\\"\" e=\"\"");
  EXPECT_EQ(FormatAttributes({{"flag", json(true)}}), "flag=true");
}

TEST(InvestigateFormatAttributes, LongMultiLineValuesBecomeOneShortLine) {
  EXPECT_EQ(FormatAttributes({{"db.query.text", json("\nSELECT *\n  FROM stock\n")}}),
            "db.query.text=\"SELECT * FROM stock\"");
  const std::string long_value(500, 'x');
  const std::string shown = FormatAttributes({{"v", json(long_value)}});
  EXPECT_EQ(shown, "v=" + std::string(kMaxValueWidth - 3, 'x') + "...");
}

TEST(InvestigateFit, PadsOrCutsToTheWidth) {
  EXPECT_EQ(Fit("abc", 5), "abc  ");
  EXPECT_EQ(Fit("abcdefgh", 6), "abc...");
  EXPECT_EQ(PadLeft("7", 3), "  7");
  EXPECT_EQ(PadLeft("1234", 3), "1234");
}

TEST(InvestigateFormatClockTime, PrintsLocalTimeWithMilliseconds) {
  const char* saved = std::getenv("TZ");
  const std::string saved_tz = saved != nullptr ? saved : "";
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  EXPECT_EQ(FormatClockTime(1'700'000'000'123'456), "22:13:20.123");
  if (saved != nullptr) {
    ::setenv("TZ", saved_tz.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}

}  // namespace
}  // namespace hotorder::investigate
