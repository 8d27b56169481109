#include "loadgen/mix.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace hotorder::loadgen {
namespace {

using ::testing::HasSubstr;

std::uint32_t Weight(const Mix& mix, Scenario scenario) {
  return mix.weights[static_cast<std::size_t>(scenario)];
}

std::string MixErrorOf(std::string_view text) {
  auto parsed = ParseMix(text);
  if (auto* error = std::get_if<MixError>(&parsed)) return error->message;
  ADD_FAILURE() << "\"" << text << "\" parsed";
  return {};
}

TEST(Scenario, NamesRoundTrip) {
  for (Scenario scenario : kAllScenarios) {
    EXPECT_EQ(ScenarioFromName(ScenarioName(scenario)), scenario);
  }
  EXPECT_EQ(ScenarioFromName("bogus"), std::nullopt);
  EXPECT_EQ(ExpectedStatus(Scenario::kOk), 201);
  EXPECT_EQ(ExpectedStatus(Scenario::kEmpty), 400);
  EXPECT_EQ(ExpectedStatus(Scenario::kUnknownSku), 404);
  EXPECT_EQ(ExpectedStatus(Scenario::kOutOfStock), 409);
  EXPECT_EQ(ExpectedStatus(Scenario::kGet), 200);
}

TEST(ParseMix, ParsesTheDefault) {
  auto mix = std::get<Mix>(ParseMix(kDefaultMix));
  EXPECT_EQ(Weight(mix, Scenario::kOk), 90u);
  EXPECT_EQ(Weight(mix, Scenario::kEmpty), 3u);
  EXPECT_EQ(Weight(mix, Scenario::kUnknownSku), 3u);
  EXPECT_EQ(Weight(mix, Scenario::kOutOfStock), 2u);
  EXPECT_EQ(Weight(mix, Scenario::kGet), 2u);
  EXPECT_EQ(FormatMix(mix), kDefaultMix);
}

TEST(ParseMix, UnnamedScenariosWeighZero) {
  auto mix = std::get<Mix>(ParseMix(" get = 5 , ok=1"));
  EXPECT_EQ(Weight(mix, Scenario::kOk), 1u);
  EXPECT_EQ(Weight(mix, Scenario::kGet), 5u);
  EXPECT_EQ(Weight(mix, Scenario::kEmpty), 0u);
  EXPECT_EQ(FormatMix(mix), "ok=1,get=5");
  EXPECT_EQ(FormatMix(std::get<Mix>(ParseMix("ok=1,empty=0"))), "ok=1");
}

TEST(ParseMix, RejectsBadInput) {
  EXPECT_THAT(MixErrorOf("ok=90,bogus=3"), HasSubstr("bogus"));
  EXPECT_THAT(MixErrorOf("ok=1,ok=2"), HasSubstr("twice"));
  EXPECT_THAT(MixErrorOf("ok=x"), HasSubstr("ok=x"));
  EXPECT_THAT(MixErrorOf("ok=-1"), HasSubstr("ok=-1"));
  EXPECT_THAT(MixErrorOf("ok=1.5"), HasSubstr("ok=1.5"));
  EXPECT_THAT(MixErrorOf("ok=1000001"), HasSubstr("1000000"));
  EXPECT_THAT(MixErrorOf("ok="), HasSubstr("weight"));
  EXPECT_THAT(MixErrorOf("ok"), HasSubstr("name=weight"));
  EXPECT_THAT(MixErrorOf("ok=1,"), HasSubstr("name=weight"));
  EXPECT_THAT(MixErrorOf(""), HasSubstr("empty"));
  EXPECT_THAT(MixErrorOf("ok=0,get=0"), HasSubstr("zero"));
}

TEST(ScenarioPicker, FollowsTheWeights) {
  auto mix = std::get<Mix>(ParseMix("ok=70,empty=20,get=10"));
  ScenarioPicker picker(mix);
  std::mt19937_64 rng(42);
  std::array<int, kScenarioCount> counts{};
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) ++counts[static_cast<std::size_t>(picker.Pick(rng))];
  // Standard deviations are ~145 for 70%; 1% of the draws is ~7 of them.
  EXPECT_NEAR(counts[static_cast<std::size_t>(Scenario::kOk)], 70'000, 1'000);
  EXPECT_NEAR(counts[static_cast<std::size_t>(Scenario::kEmpty)], 20'000, 1'000);
  EXPECT_NEAR(counts[static_cast<std::size_t>(Scenario::kGet)], 10'000, 1'000);
  EXPECT_EQ(counts[static_cast<std::size_t>(Scenario::kUnknownSku)], 0);
  EXPECT_EQ(counts[static_cast<std::size_t>(Scenario::kOutOfStock)], 0);
}

TEST(ScenarioPicker, ASingleScenarioIsAlwaysPicked) {
  ScenarioPicker picker(std::get<Mix>(ParseMix("out-of-stock=1")));
  std::mt19937_64 rng(1);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(picker.Pick(rng), Scenario::kOutOfStock);
}

TEST(SeededCatalogue, MatchesSeedSql) {
  EXPECT_EQ(SkuName(1), "SKU-001");
  EXPECT_EQ(SkuName(42), "SKU-042");
  EXPECT_EQ(SkuName(100000), "SKU-100000");
  EXPECT_EQ(SkuName(1234567), "SKU-1234567");
  EXPECT_EQ(SeededQuantity(1), 50u + 7919u % 951u);
  for (std::uint64_t n = 1; n <= 100000; ++n) {
    ASSERT_GE(SeededQuantity(n), 50u);
    ASSERT_LE(SeededQuantity(n), 1000u);
  }
}

constexpr std::uint32_t kSkus = 500;

// The SKU number of a seeded "SKU-123", or 0.
std::uint64_t SeededNumber(const std::string& sku) {
  if (sku.rfind("SKU-", 0) != 0 || sku.size() < 7) return 0;
  std::string digits = sku.substr(4);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoull(digits);
}

nlohmann::json ParsedBody(const RequestSpec& spec) {
  auto body = nlohmann::json::parse(spec.body);  // throws, failing the test, if not JSON
  EXPECT_TRUE(body.at("customer_id").is_string());
  auto id = body.at("customer_id").get<std::string>();
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"),
            std::string::npos);
  auto tier = body.at("customer_tier").get<std::string>();
  EXPECT_TRUE(tier == "standard" || tier == "gold" || tier == "platinum") << tier;
  EXPECT_TRUE(body.at("items").is_array());
  return body;
}

TEST(RequestFactory, OkOrdersAreSeededDistinctSkus) {
  RequestFactory factory(kSkus);
  std::mt19937_64 rng(7);
  std::set<std::string> tiers;
  std::set<std::size_t> sizes;
  for (int i = 0; i < 2000; ++i) {
    auto spec = factory.Make(Scenario::kOk, rng);
    EXPECT_EQ(spec.scenario, Scenario::kOk);
    EXPECT_EQ(spec.method, "POST");
    EXPECT_EQ(spec.target, "/api/orders");
    auto body = ParsedBody(spec);
    tiers.insert(body["customer_tier"].get<std::string>());
    const auto& items = body["items"];
    sizes.insert(items.size());
    std::set<std::string> skus;
    for (const auto& item : items) {
      auto sku = item.at("sku").get<std::string>();
      auto n = SeededNumber(sku);
      EXPECT_GE(n, 1u) << sku;
      EXPECT_LE(n, kSkus) << sku;
      int qty = item.at("qty").get<int>();
      EXPECT_GE(qty, 1);
      EXPECT_LE(qty, 3);
      skus.insert(sku);
    }
    EXPECT_EQ(skus.size(), items.size()) << spec.body;
  }
  EXPECT_EQ(tiers.size(), 3u);
  EXPECT_EQ(sizes, (std::set<std::size_t>{1, 2, 3}));
}

TEST(RequestFactory, OkOrdersFitATinyCatalogue) {
  RequestFactory factory(2);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100; ++i) {
    auto body = ParsedBody(factory.Make(Scenario::kOk, rng));
    EXPECT_LE(body["items"].size(), 2u);
  }
}

TEST(RequestFactory, EmptyOrderHasNoItems) {
  RequestFactory factory(kSkus);
  std::mt19937_64 rng(7);
  auto spec = factory.Make(Scenario::kEmpty, rng);
  EXPECT_EQ(spec.method, "POST");
  EXPECT_EQ(spec.target, "/api/orders");
  EXPECT_TRUE(ParsedBody(spec)["items"].empty());
}

TEST(RequestFactory, UnknownSkuIsWellFormedAndNeverSeeded) {
  RequestFactory factory(kSkus);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    auto spec = factory.Make(Scenario::kUnknownSku, rng);
    auto items = ParsedBody(spec)["items"];
    ASSERT_EQ(items.size(), 1u);
    auto sku = items[0]["sku"].get<std::string>();
    EXPECT_EQ(SeededNumber(sku), 0u) << sku;
    EXPECT_LE(sku.size(), 64u);
    EXPECT_EQ(sku.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"), std::string::npos);
    EXPECT_EQ(items[0]["qty"], 1);
  }
}

TEST(RequestFactory, OutOfStockAsksForMoreThanWasSeeded) {
  RequestFactory factory(kSkus);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    auto items = ParsedBody(factory.Make(Scenario::kOutOfStock, rng))["items"];
    ASSERT_EQ(items.size(), 1u);
    auto n = SeededNumber(items[0]["sku"].get<std::string>());
    ASSERT_GE(n, 1u);
    ASSERT_LE(n, kSkus);
    int qty = items[0]["qty"].get<int>();
    EXPECT_LE(qty, 1000);  // still a valid quantity, or it would be a 400
    EXPECT_GT(static_cast<std::uint32_t>(qty), SeededQuantity(n)) << n;
  }
}

TEST(RequestFactory, OutOfStockSkipsSkusSeededWithAThousand) {
  // Find a SKU seeded with exactly 1000 and a catalogue that ends there.
  std::uint32_t full = 1;
  while (SeededQuantity(full) != 1000) ++full;
  RequestFactory factory(full);
  std::mt19937_64 rng(11);
  for (int i = 0; i < 2000; ++i) {
    auto items = ParsedBody(factory.Make(Scenario::kOutOfStock, rng))["items"];
    EXPECT_NE(SeededNumber(items[0]["sku"].get<std::string>()), full);
  }
}

TEST(RequestFactory, GetReadsInventoryUntilAnOrderIsKnown) {
  RequestFactory factory(kSkus);
  std::mt19937_64 rng(7);
  auto spec = factory.Make(Scenario::kGet, rng);
  EXPECT_EQ(spec.method, "GET");
  EXPECT_TRUE(spec.body.empty());
  ASSERT_EQ(spec.target.rfind("/api/inventory/", 0), 0u) << spec.target;
  auto n = SeededNumber(spec.target.substr(std::string("/api/inventory/").size()));
  EXPECT_GE(n, 1u);
  EXPECT_LE(n, kSkus);

  factory.RememberOrder("0b1c2d3e-0000-4000-8000-000000000001");
  spec = factory.Make(Scenario::kGet, rng);
  EXPECT_EQ(spec.target, "/api/orders/0b1c2d3e-0000-4000-8000-000000000001");
}

TEST(RequestFactory, RemembersABoundedSetOfRecentOrders) {
  RequestFactory factory(kSkus);
  for (int i = 0; i < 5000; ++i) factory.RememberOrder("order-" + std::to_string(i));
  factory.RememberOrder("bad id/../x");  // never put in a request target
  factory.RememberOrder("");
  std::mt19937_64 rng(5);
  std::set<std::string> targets;
  for (int i = 0; i < 20000; ++i) targets.insert(factory.Make(Scenario::kGet, rng).target);
  for (const auto& target : targets) {
    auto number = std::stoi(target.substr(std::string("/api/orders/order-").size()));
    EXPECT_GE(number, 5000 - 1024) << "an old order was kept: " << target;
  }
  EXPECT_GT(targets.size(), 900u);  // reads spread over the remembered ones
}

TEST(ExtractOrderId, FindsTheId) {
  EXPECT_EQ(ExtractOrderId(R"({"items":[],"order_id":"6f1c-42","status":"placed"})"), "6f1c-42");
  EXPECT_EQ(ExtractOrderId("{\n  \"order_id\" :  \"abc\"\n}"), "abc");
  EXPECT_EQ(ExtractOrderId(R"({"note":"order_id","order_id":"real"})"), "real");
}

TEST(ExtractOrderId, EmptyWhenAbsentOrOdd) {
  EXPECT_EQ(ExtractOrderId(""), "");
  EXPECT_EQ(ExtractOrderId(R"({"error":"out_of_stock"})"), "");
  EXPECT_EQ(ExtractOrderId(R"({"order_id":42})"), "");
  EXPECT_EQ(ExtractOrderId(R"({"order_id":"unterminated)"), "");
  EXPECT_EQ(ExtractOrderId(R"({"order_id":"a/b"})"), "");
  EXPECT_EQ(ExtractOrderId(R"({"order_id":""})"), "");
  EXPECT_EQ(ExtractOrderId(R"({"order_id")"), "");
}

}  // namespace
}  // namespace hotorder::loadgen
