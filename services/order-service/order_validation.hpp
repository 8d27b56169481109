#pragma once
// What an order request must look like (pure; JSON in, values or a 400 HttpError out):
//   {"customer_id": "c-42", "customer_tier": "standard", "items": [{"sku": "SKU-000001", "qty": 2}]}
// customer_id: 1-64 characters of A-Z a-z 0-9 . _ -; customer_tier: optional, one of kTiers
// (default "standard"); items: 1-100 lines (domain/order_items.hpp).

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/order_items.hpp"

namespace hotorder::orders {

inline constexpr std::array<std::string_view, 3> kTiers = {"standard", "gold", "platinum"};
inline constexpr std::string_view kDefaultTier = "standard";
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
