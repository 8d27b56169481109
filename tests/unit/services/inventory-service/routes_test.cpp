#include "inventory-service/routes.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

#include "fake_stock_index.hpp"
#include "support/span_capture.hpp"

namespace hotorder::inventory {
namespace {

using nlohmann::json;

constexpr const char* kId = "0b7c5a52-1f1e-4c1a-9d53-6f1c2b3a4d5e";

// Stock in a map, with the repository's all-or-nothing and once-per-id rules.
class FakeRepository final : public InventoryRepository {
 public:
  ReserveOutcome Reserve(const telemetry::Context&, const std::string& id,
                         const std::vector<domain::OrderItem>& items,
                         const FaultDecision& fault) override {
    faults_seen.push_back(fault);
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
  std::vector<FaultDecision> faults_seen;
};

// How a test request arrives: from where, with which extra headers and baggage.
struct Caller {
  std::string address = "127.0.0.1";
  std::vector<std::pair<std::string, std::string>> headers;
  telemetry::Baggage baggage;
};

class InventoryRoutesTest : public ::testing::Test {
 protected:
  http::Response Call(const std::string& method, const std::string& path, const json& body = {},
                      const Caller& caller = {}) {
    http::Request request;
    request.method = method;
    request.path = path;
    request.target = path;
    request.client_address = caller.address;
    if (!body.is_null()) {
      request.body = body.dump();
      request.headers.Add("Content-Type", "application/json");
    }
    for (const auto& [name, value] : caller.headers) request.headers.Add(name, value);
    auto match = router_.Match(method, path);
    request.path_params = match.params;
    auto span = capture_.tracer().StartSpan("server", {});
    http::RequestContext context{request, {span.context(), caller.baggage}, span,
                                 capture_.tracer(), log_};
    return router_.Dispatch(match, context);
  }
  static json Reservation(const json& items) { return {{"reservation_id", kId}, {"items", items}}; }

  FakeRepository repository_;
  FaultSwitch faults_{SlowIndexScanSettings{}};
  FakeStockIndex index_;
  FaultControl control_{faults_, index_};
  AdminPolicy admin_;
  http::Router router_ = BuildRoutes(repository_, faults_, control_, admin_);
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
  EXPECT_TRUE(repository_.faults_seen.empty());
  EXPECT_TRUE(repository_.reservations.empty());
}

TEST_F(InventoryRoutesTest, ReservationsAreSlowedOnlyWhenTheFaultSaysSo) {
  auto items = json::parse(R"([{"sku":"SKU-1","qty":1}])");
  Call("POST", "/reserve", Reservation(items));
  ASSERT_EQ(repository_.faults_seen.size(), 1u);
  EXPECT_FALSE(repository_.faults_seen[0].active());

  faults_.Set({.enabled = true, .mode = FaultMode::kSeqScan, .delay_ms = 350, .ratio = 1.0});
  Call("POST", "/reserve", Reservation(items));
  ASSERT_EQ(repository_.faults_seen.size(), 2u);
  EXPECT_EQ(repository_.faults_seen[1].trigger, FaultDecision::Trigger::kRatio);
  EXPECT_EQ(repository_.faults_seen[1].mode, FaultMode::kSeqScan);
}

TEST_F(InventoryRoutesTest, BaggageSlowsOneRequestWhileTheFaultIsOff) {
  Caller attendee;
  attendee.baggage = telemetry::Baggage().Set("hotorder.fault", "slow-index-scan");
  Call("POST", "/reserve", Reservation(json::parse(R"([{"sku":"SKU-1","qty":1}])")), attendee);
  ASSERT_EQ(repository_.faults_seen.size(), 1u);
  EXPECT_EQ(repository_.faults_seen[0].trigger, FaultDecision::Trigger::kBaggage);
  EXPECT_EQ(repository_.faults_seen[0].delay_ms, 350);
}

TEST_F(InventoryRoutesTest, AdminApiShowsAndChangesTheFault) {
  auto shown = Call("GET", "/admin/faults/slow-index-scan");
  ASSERT_EQ(shown.status, 200u) << shown.body;
  EXPECT_EQ(json::parse(shown.body),
            json::parse(R"({"enabled":false,"mode":"sleep","delay_ms":350,"ratio":1.0,
                                        "stock_sku_idx":"unique"})"));

  auto changed = Call("PUT", "/admin/faults/slow-index-scan",
                      json{{"enabled", true}, {"mode", "seqscan"}, {"ratio", 0.5}});
  ASSERT_EQ(changed.status, 200u) << changed.body;
  EXPECT_EQ(json::parse(changed.body),
            json::parse(R"({"enabled":true,"mode":"seqscan","delay_ms":350,"ratio":0.5,
                                        "stock_sku_idx":"unique"})"));
  EXPECT_EQ(faults_.Get(), (SlowIndexScanSettings{true, FaultMode::kSeqScan, 350, 0.5}));
  EXPECT_EQ(json::parse(Call("GET", "/admin/faults").body)["slow-index-scan"]["mode"], "seqscan");

  bool recorded = false;
  for (const auto& span : capture_.Spans()) {
    for (const auto& event : span.events) recorded |= event.name == "fault.changed";
  }
  EXPECT_TRUE(recorded);
}

TEST_F(InventoryRoutesTest, BadFaultSettingsAre400AndChangeNothing) {
  for (const auto& body : {json{{"mode", "fast"}}, json{{"delay_ms", -1}}, json{{"delay_ms", 1.5}},
                           json{{"ratio", 2}}, json{{"enabled", "yes"}}, json{{"color", "red"}},
                           json{{"enabled", true}, {"ratio", -0.1}}}) {
    auto response = Call("PUT", "/admin/faults/slow-index-scan", body);
    EXPECT_EQ(response.status, 400u) << body;
    EXPECT_EQ(json::parse(response.body)["error"]["code"], "invalid_fault") << response.body;
  }
  EXPECT_EQ(faults_.Get(), SlowIndexScanSettings{});
  EXPECT_TRUE(index_.calls.empty());
}

TEST_F(InventoryRoutesTest, MissingIndexModeDropsTheIndexAndOffRestoresIt) {
  auto on = Call("PUT", "/admin/faults/slow-index-scan",
                 json{{"enabled", true}, {"mode", "missing-index"}});
  ASSERT_EQ(on.status, 200u) << on.body;
  EXPECT_EQ(json::parse(on.body)["stock_sku_idx"], "missing");
  EXPECT_EQ(index_.state, StockIndexState::kMissing);

  auto off = Call("PUT", "/admin/faults/slow-index-scan", json{{"enabled", false}});
  ASSERT_EQ(off.status, 200u) << off.body;
  EXPECT_EQ(json::parse(off.body)["stock_sku_idx"], "unique");
  EXPECT_EQ(index_.calls, (std::vector<std::string>{"drop", "restore"}));
}

TEST_F(InventoryRoutesTest, AnIndexDroppedBehindTheServicesBackShowsAsTheFaultOn) {
  index_.state = StockIndexState::kMissing;  // DROP INDEX typed into psql
  auto shown = json::parse(Call("GET", "/admin/faults/slow-index-scan").body);
  EXPECT_EQ(shown["enabled"], true);
  EXPECT_EQ(shown["mode"], "missing-index");
  EXPECT_EQ(shown["stock_sku_idx"], "missing");
  Call("POST", "/reserve", Reservation(json::parse(R"([{"sku":"SKU-1","qty":1}])")));
  ASSERT_EQ(repository_.faults_seen.size(), 1u);
  EXPECT_EQ(repository_.faults_seen[0].trigger, FaultDecision::Trigger::kIndex);
}

TEST_F(InventoryRoutesTest, ADatabaseThatCannotChangeTheIndexIs503AndTheSwitchStays) {
  index_.failing = true;
  auto response = Call("PUT", "/admin/faults/slow-index-scan",
                       json{{"enabled", true}, {"mode", "missing-index"}});
  EXPECT_EQ(response.status, 503u) << response.body;
  EXPECT_EQ(json::parse(response.body)["error"]["code"], "database_unavailable") << response.body;
  EXPECT_EQ(faults_.Get(), SlowIndexScanSettings{});
}

TEST_F(InventoryRoutesTest, AdminWithoutATokenAcceptsOnlyLoopbackCallers) {
  Caller remote;
  remote.address = "10.1.2.3";
  auto response = Call("PUT", "/admin/faults/slow-index-scan", json{{"enabled", true}}, remote);
  EXPECT_EQ(response.status, 403u);
  EXPECT_EQ(json::parse(response.body)["error"]["code"], "forbidden");
  EXPECT_EQ(Call("GET", "/admin/faults/slow-index-scan", {}, remote).status, 403u);
  EXPECT_FALSE(faults_.Get().enabled);
  remote.address = "::1";
  EXPECT_EQ(Call("GET", "/admin/faults/slow-index-scan", {}, remote).status, 200u);
}

TEST_F(InventoryRoutesTest, AdminTokenIsRequiredWhenSet) {
  AdminPolicy policy{"s3cret"};
  router_ = BuildRoutes(repository_, faults_, control_, policy);
  Caller anyone, wrong, right;
  wrong.headers = {{"Authorization", "Bearer guess"}};
  right.headers = {{"Authorization", "Bearer s3cret"}};
  right.address = "10.1.2.3";  // with a token, the address does not matter
  for (const auto* caller : {&anyone, &wrong}) {
    auto response = Call("PUT", "/admin/faults/slow-index-scan", json{{"enabled", true}}, *caller);
    EXPECT_EQ(response.status, 401u);
    EXPECT_EQ(json::parse(response.body)["error"]["code"], "unauthorized");
    EXPECT_EQ(Call("GET", "/admin/faults/slow-index-scan", {}, *caller).status, 401u);
  }
  EXPECT_FALSE(faults_.Get().enabled);
  EXPECT_EQ(Call("PUT", "/admin/faults/slow-index-scan", json{{"enabled", true}}, right).status,
            200u);
  EXPECT_TRUE(faults_.Get().enabled);
}

}  // namespace
}  // namespace hotorder::inventory
