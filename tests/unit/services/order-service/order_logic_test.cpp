#include "order-service/order_logic.hpp"

#include <gtest/gtest.h>

#include <map>

#include "http/http_error.hpp"
#include "support/span_capture.hpp"

namespace hotorder::orders {
namespace {

using nlohmann::json;

class FakeInventory final : public InventoryClient {
 public:
  void Reserve(const telemetry::Context&, const std::string& id,
               const std::vector<domain::OrderItem>& items) override {
    if (refuse_with) throw *refuse_with;
    reserved[id] = items;
  }
  void Release(const telemetry::Context&, const std::string& id) override {
    released.push_back(id);
    reserved.erase(id);
  }
  std::optional<http::HttpError> refuse_with;
  std::map<std::string, std::vector<domain::OrderItem>> reserved;
  std::vector<std::string> released;
};

class FakeOrders final : public OrderRepository {
 public:
  void Insert(const telemetry::Context&, const Order& order) override {
    if (fail_inserts) throw std::runtime_error("connection lost");
    if (lose_race_to) {
      stored[lose_race_to->id] = *lose_race_to;
      throw DuplicateIdempotencyKey();
    }
    stored[order.id] = order;
  }
  std::optional<Order> FindById(const telemetry::Context&, const std::string& id) override {
    auto found = stored.find(id);
    if (found == stored.end()) return std::nullopt;
    return found->second;
  }
  std::optional<Order> FindByIdempotencyKey(const telemetry::Context&,
                                            const std::string& key) override {
    ++key_lookups;
    for (auto& [id, order] : stored) {
      if (order.idempotency_key == key) return order;
    }
    return std::nullopt;
  }
  bool Ping() override { return true; }

  bool fail_inserts = false;
  std::optional<Order> lose_race_to;  // a concurrent request's order, stored on our Insert
  std::map<std::string, Order> stored;
  int key_lookups = 0;
};

class OrderLogicTest : public ::testing::Test {
 protected:
  PlacedOrder Place(const json& body, const std::string& key = "") {
    return logic_.Place({}, log_, body, key, "4bf92f3577b34da6a3ce929d0e0e4736");
  }
  // The HttpError Place throws, or a failure when it succeeds.
  http::HttpError Refusal(const json& body, const std::string& key = "") {
    try {
      Place(body, key);
    } catch (const http::HttpError& error) {
      return error;
    }
    ADD_FAILURE() << "accepted " << body.dump();
    return http::HttpError(0, "", "");
  }

  static json ValidOrder() {
    return json::parse(R"({"customer_id":"c-1","customer_tier":"gold",
                           "items":[{"sku":"SKU-001","qty":2},{"sku":"SKU-002","qty":1}]})");
  }

  FakeInventory inventory_;
  FakeOrders orders_;
  test::SpanCapture capture_;
  log::Logger log_{"order-service-test", log::Level::kError, log::StdoutSink()};
  OrderLogic logic_{inventory_, orders_, capture_.tracer()};
};

TEST_F(OrderLogicTest, PlacesAnOrderReservingUnderItsIdAndStoringIt) {
  auto placed = Place(ValidOrder());
  EXPECT_FALSE(placed.replayed);
  EXPECT_EQ(placed.order.status, "confirmed");
  EXPECT_EQ(placed.order.customer_tier, "gold");
  EXPECT_EQ(placed.order.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  ASSERT_EQ(inventory_.reserved.count(placed.order.id), 1u);
  EXPECT_EQ(inventory_.reserved[placed.order.id].size(), 2u);
  ASSERT_EQ(orders_.stored.count(placed.order.id), 1u);
  EXPECT_EQ(orders_.key_lookups, 0) << "no Idempotency-Key, no lookup";
}

TEST_F(OrderLogicTest, ValidateOrderSpanCarriesCountAndTier) {
  Place(ValidOrder());
  auto span = capture_.Only("validate-order");
  ASSERT_TRUE(span);
  EXPECT_EQ(span->kind, telemetry::SpanKind::kInternal);
  EXPECT_EQ(test::IntAttribute(*span, "order.item_count"), 2);
  EXPECT_EQ(test::StringAttribute(*span, "order.customer_tier"), "gold");
  EXPECT_EQ(span->status.code, telemetry::StatusCode::kUnset);
}

TEST_F(OrderLogicTest, TierDefaultsToStandard) {
  auto body = ValidOrder();
  body.erase("customer_tier");
  EXPECT_EQ(Place(body).order.customer_tier, "standard");
  EXPECT_EQ(test::StringAttribute(*capture_.Only("validate-order"), "order.customer_tier"),
            "standard");
}

TEST_F(OrderLogicTest, InvalidOrderIsAnErrorSpanAndTouchesNothing) {
  auto body = ValidOrder();
  body["items"][1]["qty"] = 0;
  auto error = Refusal(body);
  EXPECT_EQ(error.status(), 400u);
  EXPECT_EQ(error.code(), "invalid_quantity");
  EXPECT_TRUE(inventory_.reserved.empty());
  EXPECT_TRUE(orders_.stored.empty());
  auto span = capture_.Only("validate-order");
  ASSERT_TRUE(span);
  EXPECT_EQ(span->status.code, telemetry::StatusCode::kError);
  EXPECT_EQ(test::IntAttribute(*span, "order.item_count"), 2);
  ASSERT_EQ(span->events.size(), 1u);
  EXPECT_EQ(span->events[0].name, "exception");
}

TEST_F(OrderLogicTest, RefusesBadCustomerFields) {
  auto body = ValidOrder();
  body["customer_tier"] = "diamond";
  EXPECT_EQ(Refusal(body).code(), "invalid_customer_tier");
  body = ValidOrder();
  body["customer_id"] = 7;
  EXPECT_EQ(Refusal(body).code(), "invalid_customer_id");
  body = ValidOrder();
  body["customer_id"] = "c 1";
  EXPECT_EQ(Refusal(body).code(), "invalid_customer_id");
  body = ValidOrder();
  body["tier"] = "diamond";
  EXPECT_EQ(Refusal(body).code(), "invalid_customer_tier");
  EXPECT_TRUE(inventory_.reserved.empty());
}

// The lesson's request: no customer, the tier spelled "tier", its SKUs.
TEST_F(OrderLogicTest, PlacesTheLessonsOrder) {
  auto placed = Place(json::parse(
      R"({"items":[{"sku":"SKU-001","qty":2},{"sku":"SKU-007","qty":1}],"tier":"gold"})"));
  EXPECT_EQ(placed.order.status, "confirmed");
  EXPECT_EQ(placed.order.customer_id, kDefaultCustomerId);
  EXPECT_EQ(placed.order.customer_tier, "gold");
  EXPECT_EQ(test::StringAttribute(*capture_.Only("validate-order"), "order.customer_tier"), "gold");
}

TEST_F(OrderLogicTest, TierAndCustomerTierMustAgree) {
  auto body = ValidOrder();
  body["tier"] = "gold";  // the same as customer_tier
  EXPECT_EQ(Place(body).order.customer_tier, "gold");
  body["tier"] = "platinum";
  auto error = Refusal(body);
  EXPECT_EQ(error.status(), 400u);
  EXPECT_EQ(error.code(), "conflicting_tier");
  EXPECT_EQ(inventory_.reserved.size(), 1u) << "only the first order reserved";
}

TEST_F(OrderLogicTest, InventoryRefusalStoresNothing) {
  inventory_.refuse_with = http::HttpError(409, "insufficient_stock", "short");
  auto error = Refusal(ValidOrder());
  EXPECT_EQ(error.status(), 409u);
  EXPECT_TRUE(orders_.stored.empty());
}

TEST_F(OrderLogicTest, FailedStoreReleasesTheReservation) {
  orders_.fail_inserts = true;
  EXPECT_THROW(Place(ValidOrder()), std::runtime_error);
  ASSERT_EQ(inventory_.released.size(), 1u);
  EXPECT_TRUE(inventory_.reserved.empty());
  EXPECT_TRUE(orders_.stored.empty());
}

TEST_F(OrderLogicTest, RetryWithTheSameKeyAnswersAsBeforeWithoutReservingAgain) {
  auto first = Place(ValidOrder(), "key-1");
  auto again = Place(ValidOrder(), "key-1");
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.order.id, first.order.id);
  EXPECT_EQ(inventory_.reserved.size(), 1u);
  EXPECT_EQ(orders_.stored.size(), 1u);
}

TEST_F(OrderLogicTest, SameKeyWithADifferentOrderIsRefused) {
  Place(ValidOrder(), "key-1");
  auto other = ValidOrder();
  other["items"][0]["qty"] = 5;
  auto error = Refusal(other, "key-1");
  EXPECT_EQ(error.status(), 422u);
  EXPECT_EQ(error.code(), "idempotency_key_reused");
  EXPECT_EQ(inventory_.reserved.size(), 1u);
}

TEST_F(OrderLogicTest, LosingAConcurrentRaceForAKeyGivesBackStockAndReplaysTheWinner) {
  auto winner = Place(ValidOrder(), "key-1");
  orders_.stored.clear();
  orders_.lose_race_to = winner.order;  // invisible to the lookup, stored when we insert
  inventory_.reserved.clear();
  auto loser = Place(ValidOrder(), "key-1");
  EXPECT_TRUE(loser.replayed);
  EXPECT_EQ(loser.order.id, winner.order.id);
  EXPECT_TRUE(inventory_.reserved.empty()) << "the loser's own reservation was released";
  EXPECT_EQ(inventory_.released.size(), 1u);
}

TEST_F(OrderLogicTest, MalformedIdempotencyKeyIsRefusedBeforeAnything) {
  EXPECT_EQ(Refusal(ValidOrder(), std::string(129, 'k')).code(), "invalid_idempotency_key");
  EXPECT_EQ(Refusal(ValidOrder(), "has space").code(), "invalid_idempotency_key");
  EXPECT_TRUE(inventory_.reserved.empty());
}

TEST_F(OrderLogicTest, GetFindsStoredOrdersAndRefusesOthers) {
  auto placed = Place(ValidOrder());
  EXPECT_EQ(logic_.Get({}, placed.order.id).id, placed.order.id);
  try {
    logic_.Get({}, "0b7c5a52-1f1e-4c1a-9d53-6f1c2b3a4d5e");
    FAIL();
  } catch (const http::HttpError& error) {
    EXPECT_EQ(error.status(), 404u);
  }
  try {
    logic_.Get({}, "not-a-uuid");
    FAIL();
  } catch (const http::HttpError& error) {
    EXPECT_EQ(error.status(), 400u);
  }
}

TEST(OrderJson, HasTheContractFields) {
  Order order{.id = "id-1", .customer_id = "c", .customer_tier = "gold", .status = "confirmed",
              .items = {{"SKU-1", 2}}, .trace_id = "t"};
  EXPECT_EQ(OrderJson(order), json::parse(R"({"order_id":"id-1","status":"confirmed",
      "customer_id":"c","customer_tier":"gold","items":[{"sku":"SKU-1","qty":2}],"trace_id":"t"})"));
}

TEST(TraceNote, SaysWhatTailSamplingKeepsAndNothingOtherwise) {
  EXPECT_EQ(TraceNote("all"), "");
  EXPECT_EQ(TraceNote("custom"), "");
  const auto note = TraceNote("tail-sampling");
  EXPECT_NE(note.find("hotorder.keep=true"), std::string::npos) << note;
  EXPECT_NE(note.find("error"), std::string::npos) << note;
}

}  // namespace
}  // namespace hotorder::orders
