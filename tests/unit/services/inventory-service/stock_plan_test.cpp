#include "inventory-service/stock_plan.hpp"

#include <gtest/gtest.h>

namespace hotorder::inventory {
namespace {

using nlohmann::json;

TEST(DescribeStockAccess, NamesEachDistinctWayAPlanReadsStock) {
  // The shape of EXPLAIN (FORMAT JSON) for the reservation, trimmed.
  auto index_plan = json::parse(R"([{"Plan": {"Node Type": "ModifyTable", "Relation Name": "stock",
      "Plans": [
      {"Node Type": "Nested Loop", "Plans": [
         {"Node Type": "Function Scan", "Function Name": "unnest"},
         {"Node Type": "Index Scan", "Relation Name": "stock", "Index Name": "stock_sku_idx"}]},
      {"Node Type": "Index Scan", "Relation Name": "stock", "Index Name": "stock_sku_idx"},
      {"Node Type": "Index Only Scan", "Relation Name": "reservations",
       "Index Name": "reservations_pkey"}]}}])");
  EXPECT_EQ(DescribeStockAccess(index_plan), "Index Scan using stock_sku_idx on stock");

  auto seq_plan = json::parse(R"([{"Plan": {"Node Type": "Hash Join", "Plans": [
      {"Node Type": "Seq Scan", "Relation Name": "stock"},
      {"Node Type": "Bitmap Heap Scan", "Relation Name": "stock"}]}}])");
  EXPECT_EQ(DescribeStockAccess(seq_plan), "Seq Scan on stock, Bitmap Heap Scan on stock");
}

TEST(DescribeStockAccess, IsEmptyForAnythingElse) {
  EXPECT_EQ(DescribeStockAccess(json()), "");
  EXPECT_EQ(DescribeStockAccess(json::parse(R"({"Plan": {}})")), "");
  EXPECT_EQ(DescribeStockAccess(json::parse(R"([{"Plan": {"Node Type": "Result"}}])")), "");
}

TEST(ScansWholeTable, IsTrueOnlyForASequentialScanOfStock) {
  EXPECT_TRUE(ScansWholeTable("Seq Scan on stock"));
  EXPECT_TRUE(ScansWholeTable("Index Scan using stock_sku_idx on stock, Seq Scan on stock"));
  EXPECT_FALSE(ScansWholeTable("Index Scan using stock_sku_idx on stock"));
  EXPECT_FALSE(ScansWholeTable("Bitmap Heap Scan on stock"));
  EXPECT_FALSE(ScansWholeTable(""));
}

TEST(StockScanWork, CountsRowsReadEitherWay) {
  auto work = Difference({1, 100, 5, 7}, {3, 2100, 6, 8});
  EXPECT_EQ(work.seq_scans, 2);
  EXPECT_EQ(work.index_scans, 1);
  EXPECT_EQ(work.rows_scanned, 2001);
}

}  // namespace
}  // namespace hotorder::inventory
