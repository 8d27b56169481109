#include "inventory-service/inventory_logic.hpp"

#include <gtest/gtest.h>

#include "http/http_error.hpp"

namespace hotorder::inventory {
namespace {

using nlohmann::json;

constexpr const char* kId = "0b7c5a52-1f1e-4c1a-9d53-6f1c2b3a4d5e";

TEST(ParseReserveRequest, MergesAndSortsItems) {
  auto request = ParseReserveRequest(json{
      {"reservation_id", kId},
      {"items", json::parse(R"([{"sku":"SKU-2","qty":1},{"sku":"SKU-1","qty":2},{"sku":"SKU-2","qty":3}])")}});
  EXPECT_EQ(request.reservation_id, kId);
  EXPECT_EQ(request.items, (std::vector<domain::OrderItem>{{"SKU-1", 2}, {"SKU-2", 4}}));
}

TEST(ParseReserveRequest, RefusesAMissingOrMalformedReservationId) {
  auto items = json::parse(R"([{"sku":"SKU-1","qty":1}])");
  for (const auto& id : {json(), json("nope"), json(12)}) {
    json body{{"items", items}};
    if (!id.is_null()) body["reservation_id"] = id;
    try {
      ParseReserveRequest(body);
      FAIL() << body.dump();
    } catch (const http::HttpError& error) {
      EXPECT_EQ(error.status(), 400u);
      EXPECT_EQ(error.code(), "invalid_reservation_id");
    }
  }
}

TEST(ParseReserveRequest, AppliesTheItemRules) {
  try {
    ParseReserveRequest(json{{"reservation_id", kId}, {"items", json::array()}});
    FAIL();
  } catch (const http::HttpError& error) {
    EXPECT_EQ(error.code(), "missing_items");
  }
}

TEST(RaiseForOutcome, MapsRefusalsToStatusesNamingTheSku) {
  EXPECT_NO_THROW(RaiseForOutcome({ReserveOutcome::Kind::kReserved}));
  EXPECT_NO_THROW(RaiseForOutcome({ReserveOutcome::Kind::kAlreadyReserved}));
  try {
    RaiseForOutcome({ReserveOutcome::Kind::kUnknownSku, "SKU-999", 1, 0});
    FAIL();
  } catch (const http::HttpError& error) {
    EXPECT_EQ(error.status(), 404u);
    EXPECT_EQ(error.code(), "unknown_sku");
    EXPECT_EQ(std::string(error.what()), "unknown SKU SKU-999");
  }
  try {
    RaiseForOutcome({ReserveOutcome::Kind::kInsufficientStock, "SKU-7", 5, 3});
    FAIL();
  } catch (const http::HttpError& error) {
    EXPECT_EQ(error.status(), 409u);
    EXPECT_EQ(error.code(), "insufficient_stock");
    EXPECT_EQ(std::string(error.what()), "insufficient stock for SKU-7: requested 5, available 3");
  }
}

TEST(StockJson, ShowsAvailability) {
  EXPECT_EQ(StockJson({"SKU-1", "Item 1", 10, 4}),
            json::parse(R"({"sku":"SKU-1","name":"Item 1","quantity":10,"reserved":4,"available":6})"));
}

TEST(ValidateSku, RefusesMalformedPathSkus) {
  EXPECT_NO_THROW(ValidateSku("SKU-001"));
  EXPECT_THROW(ValidateSku("SKU;1"), http::HttpError);
  EXPECT_THROW(ValidateSku(std::string(65, 'x')), http::HttpError);
}

}  // namespace
}  // namespace hotorder::inventory
