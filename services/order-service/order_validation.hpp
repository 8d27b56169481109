#pragma once
// What an order request must look like (pure; JSON in, values or a 400 HttpError out):
//   {"customer_id": "c-42", "tier": "gold", "items": [{"sku": "SKU-001", "qty": 2}]}
// customer_id: optional (default kDefaultCustomerId), 1-64 characters of A-Z a-z 0-9 . _ -.
// tier: optional, one of kTiers (default "standard"); "customer_tier" is accepted too, as the
// field is stored and answered, and naming both with different values is a 400. items: 1-100
// lines (domain/order_items.hpp). The lesson's body, {"items": [...], "tier": "gold"}, is valid.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/order_items.hpp"

namespace hotorder::orders {

inline constexpr std::array<std::string_view, 3> kTiers = {"standard", "gold", "platinum"};
inline constexpr std::string_view kDefaultTier = "standard";
// The customer of an order that names none: the lesson's request carries no customer_id.
inline constexpr std::string_view kDefaultCustomerId = "guest";
inline constexpr std::size_t kMaxIdempotencyKeyLength = 128;

struct OrderRequest {
  std::string customer_id;
  std::string customer_tier;
  std::vector<domain::OrderItem> items;  // as sent: line order kept, repeats not merged
};

OrderRequest ParseOrderRequest(const nlohmann::json& body);

// An Idempotency-Key is 1-128 printable ASCII characters; 400 "invalid_idempotency_key" if not.
void ValidateIdempotencyKey(std::string_view key);

// A stable fingerprint of a request's content: a retried POST with the same key must carry the
// same order, or it is refused (422) rather than answered with another order's result.
std::string RequestFingerprint(const OrderRequest& request);

}  // namespace hotorder::orders
