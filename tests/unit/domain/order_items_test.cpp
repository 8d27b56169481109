#include "domain/order_items.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/http_error.hpp"

namespace hotorder::domain {
namespace {

using nlohmann::json;

// The code of the HttpError ParseItems throws for `items`; "" when it accepts them.
std::string RejectionCode(const json& items) {
  try {
    ParseItems(items);
    return "";
  } catch (const http::HttpError& error) {
    EXPECT_EQ(error.status(), 400u);
    return error.code();
  }
}

json Line(json sku, json qty) { return json::array({{{"sku", sku}, {"qty", qty}}}); }

TEST(ParseItems, AcceptsWellFormedLinesInOrder) {
  auto items = ParseItems(json::parse(R"([{"sku":"SKU-002","qty":3},{"sku":"a.b_c-1","qty":1000}])"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0], (OrderItem{"SKU-002", 3}));
  EXPECT_EQ(items[1], (OrderItem{"a.b_c-1", 1000}));
}

TEST(ParseItems, RefusesMissingEmptyAndNonArrayItems) {
  EXPECT_EQ(RejectionCode(json()), "missing_items");
  EXPECT_EQ(RejectionCode(json::array()), "missing_items");
  EXPECT_EQ(RejectionCode(json::object()), "invalid_items");
  EXPECT_EQ(RejectionCode("SKU-1"), "invalid_items");
  EXPECT_EQ(RejectionCode(json::array({1})), "invalid_item");
}

TEST(ParseItems, RefusesMoreThanAHundredLines) {
  auto items = json::array();
  for (int i = 0; i < 100; ++i) items.push_back({{"sku", "SKU-001"}, {"qty", 1}});
  EXPECT_EQ(RejectionCode(items), "");
  items.push_back({{"sku", "SKU-001"}, {"qty", 1}});
  EXPECT_EQ(RejectionCode(items), "too_many_items");
}

TEST(ParseItems, RefusesQuantitiesThatAreNotIntegersFromOneToAThousand) {
  EXPECT_EQ(RejectionCode(Line("SKU-1", 0)), "invalid_quantity");
  EXPECT_EQ(RejectionCode(Line("SKU-1", -1)), "invalid_quantity");
  EXPECT_EQ(RejectionCode(Line("SKU-1", 1001)), "invalid_quantity");
  EXPECT_EQ(RejectionCode(Line("SKU-1", 2.5)), "invalid_quantity");
  EXPECT_EQ(RejectionCode(Line("SKU-1", 2.0)), "invalid_quantity");
  EXPECT_EQ(RejectionCode(Line("SKU-1", 1e30)), "invalid_quantity");
  EXPECT_EQ(RejectionCode(Line("SKU-1", json::parse("18446744073709551615"))), "invalid_quantity");
  EXPECT_EQ(RejectionCode(Line("SKU-1", "2")), "invalid_quantity");
  EXPECT_EQ(RejectionCode(Line("SKU-1", nullptr)), "invalid_quantity");
  EXPECT_EQ(RejectionCode(json::array({{{"sku", "SKU-1"}}})), "invalid_quantity");
}

TEST(ParseItems, RefusesSkusOutsideTheAlphabetOrLength) {
  EXPECT_EQ(RejectionCode(Line("", 1)), "invalid_sku");
  EXPECT_EQ(RejectionCode(Line(std::string(65, 'A'), 1)), "invalid_sku");
  EXPECT_EQ(RejectionCode(Line(std::string(10 * 1024, 'A'), 1)), "invalid_sku");
  EXPECT_EQ(RejectionCode(Line("SKU\"1", 1)), "invalid_sku");
  EXPECT_EQ(RejectionCode(Line("SKU-1; DROP TABLE stock", 1)), "invalid_sku");
  EXPECT_EQ(RejectionCode(Line(std::string("SKU\0001", 5), 1)), "invalid_sku");
  EXPECT_EQ(RejectionCode(Line("SKU-\xc3\xa9", 1)), "invalid_sku");
  EXPECT_EQ(RejectionCode(Line(42, 1)), "invalid_sku");
  EXPECT_EQ(RejectionCode(json::array({{{"qty", 1}}})), "invalid_sku");
}

TEST(ParseItems, NamesTheOffendingLineInTheMessage) {
  try {
    ParseItems(json::parse(R"([{"sku":"SKU-1","qty":1},{"sku":"SKU-2","qty":0}])"));
    FAIL() << "accepted a zero quantity";
  } catch (const http::HttpError& error) {
    EXPECT_EQ(std::string(error.what()), "items[1].qty must be an integer from 1 to 1000");
  }
}

TEST(MergeBySku, SumsRepeatedSkusAndSortsThem) {
  auto merged = MergeBySku({{"SKU-3", 1}, {"SKU-1", 2}, {"SKU-3", 4}});
  EXPECT_EQ(merged, (std::vector<OrderItem>{{"SKU-1", 2}, {"SKU-3", 5}}));
}

TEST(Printable, EscapesQuotesControlAndNonAsciiBytesAndCuts) {
  EXPECT_EQ(Printable("a\"b\\c"), "a\\x22b\\x5cc");
  EXPECT_EQ(Printable(std::string("x\0y\xff", 4)), "x\\x00y\\xff");
  EXPECT_EQ(Printable(std::string(100, 'A'), 5), "AAAAA...");
}

}  // namespace
}  // namespace hotorder::domain
