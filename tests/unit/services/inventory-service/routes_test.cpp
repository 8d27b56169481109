#include "inventory-service/routes.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

#include "support/span_capture.hpp"

namespace hotorder::inventory {
namespace {

using nlohmann::json;

constexpr const char* kId = "0b7c5a52-1f1e-4c1a-9d53-6f1c2b3a4d5e";

// Stock in a map, with the repository's all-or-nothing and once-per-id rules.
class FakeRepository final : public InventoryRepository {
 public:
  ReserveOutcome Reserve(const telemetry::Context&, const std::string& id,
                         const std::vector<domain::OrderItem>& items) override {
    if (reservations.contains(id)) return {ReserveOutcome::Kind::kAlreadyReserved};
    for (const auto& item : items) {
      auto found = stock.find(item.sku);
      if (found == stock.end()) return {ReserveOutcome::Kind::kUnknownSku, item.sku, item.qty, 0};
      if (found->second.available() < item.qty) {
        return {ReserveOutcome::Kind::kInsufficientStock, item.sku, item.qty,
                found->second.available()};
      }
    }
    for (const auto& item : items) stock[item.sku].reserved += item.qty;
    reservations[id] = items;
    return {ReserveOutcome::Kind::kReserved};
  }
  bool Release(const telemetry::Context&, const std::string& id) override {
    auto found = reservations.find(id);
    if (found == reservations.end()) return false;
    for (const auto& item : found->second) stock[item.sku].reserved -= item.qty;
    reservations.erase(found);
    return true;
  }
  std::optional<StockLevel> FindStock(const telemetry::Context&, const std::string& sku) override {
    auto found = stock.find(sku);
    if (found == stock.end()) return std::nullopt;
    return found->second;
  }
  bool Ping() override { return true; }

  std::map<std::string, StockLevel> stock = {{"SKU-1", {"SKU-1", "Item 1", 5, 0}},
                                             {"SKU-2", {"SKU-2", "Item 2", 1, 0}}};
  std::map<std::string, std::vector<domain::OrderItem>> reservations;
};

class InventoryRoutesTest : public ::testing::Test {
 protected:
  http::Response Call(const std::string& method, const std::string& path, const json& body = {}) {
    http::Request request;
    request.method = method;
    request.path = path;
    request.target = path;
    if (!body.is_null()) {
      request.body = body.dump();
      request.headers.Add("Content-Type", "application/json");
    }
    auto match = router_.Match(method, path);
    request.path_params = match.params;
    telemetry::Span span;
    http::RequestContext context{request, {}, span, capture_.tracer(), log_};
    return router_.Dispatch(match, context);
  }
  static json Reservation(const json& items) { return {{"reservation_id", kId}, {"items", items}}; }

  FakeRepository repository_;
  http::Router router_ = BuildRoutes(repository_);
  test::SpanCapture capture_;
  log::Logger log_{"inventory-test", log::Level::kError, log::StdoutSink()};
};

TEST_F(InventoryRoutesTest, ReservesAllLinesAndAnswersWithThem) {
  auto response = Call("POST", "/reserve", Reservation(json::parse(R"([{"sku":"SKU-1","qty":2}])")));
  EXPECT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(json::parse(response.body)["status"], "reserved");
  EXPECT_EQ(repository_.stock["SKU-1"].reserved, 2);
}

TEST_F(InventoryRoutesTest, ShortLineRefusesTheWholeReservation) {
  auto response = Call("POST", "/reserve",
                       Reservation(json::parse(R"([{"sku":"SKU-1","qty":2},{"sku":"SKU-2","qty":3}])")));
  EXPECT_EQ(response.status, 409u);
  EXPECT_EQ(json::parse(response.body)["error"]["code"], "insufficient_stock");
  EXPECT_EQ(repository_.stock["SKU-1"].reserved, 0);
}

TEST_F(InventoryRoutesTest, UnknownSkuIs404) {
  auto response = Call("POST", "/reserve", Reservation(json::parse(R"([{"sku":"SKU-9","qty":1}])")));
  EXPECT_EQ(response.status, 404u);
  EXPECT_NE(response.body.find("SKU-9"), std::string::npos);
}

TEST_F(InventoryRoutesTest, RetriedReservationTakesStockOnce) {
  auto items = json::parse(R"([{"sku":"SKU-1","qty":2}])");
  Call("POST", "/reserve", Reservation(items));
  auto again = Call("POST", "/reserve", Reservation(items));
  EXPECT_EQ(again.status, 200u);
  EXPECT_EQ(json::parse(again.body)["status"], "already_reserved");
  EXPECT_EQ(repository_.stock["SKU-1"].reserved, 2);
}

TEST_F(InventoryRoutesTest, ReleaseUndoesAReservationOnce) {
  Call("POST", "/reserve", Reservation(json::parse(R"([{"sku":"SKU-1","qty":2}])")));
  auto released = Call("POST", "/release", json{{"reservation_id", kId}});
  EXPECT_EQ(json::parse(released.body)["released"], true);
  EXPECT_EQ(repository_.stock["SKU-1"].reserved, 0);
  auto again = Call("POST", "/release", json{{"reservation_id", kId}});
  EXPECT_EQ(json::parse(again.body)["released"], false);
}

TEST_F(InventoryRoutesTest, StockLevelsAndTheirErrors) {
  EXPECT_EQ(json::parse(Call("GET", "/stock/SKU-1").body)["available"], 5);
  EXPECT_EQ(Call("GET", "/stock/SKU-9").status, 404u);
  EXPECT_EQ(Call("GET", "/stock/SKU;1").status, 400u);
}

TEST_F(InventoryRoutesTest, NonJsonBodyIsRefusedBeforeTheRepository) {
  http::Request request;
  request.method = "POST";
  request.path = request.target = "/reserve";
  request.body = "reserve please";
  request.headers.Add("Content-Type", "text/plain");
  auto match = router_.Match("POST", "/reserve");
  telemetry::Span span;
  http::RequestContext context{request, {}, span, capture_.tracer(), log_};
  EXPECT_EQ(router_.Dispatch(match, context).status, 415u);
  EXPECT_TRUE(repository_.reservations.empty());
}

}  // namespace
}  // namespace hotorder::inventory
