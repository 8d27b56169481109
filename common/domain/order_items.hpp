#pragma once
// The rules an order line obeys, shared by order-service (which validates what customers send)
// and inventory-service (which validates what it is asked to reserve, never trusting a caller).
// Pure: JSON in, values or a 400 HttpError out.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace hotorder::domain {

inline constexpr std::size_t kMaxItems = 100;
inline constexpr int kMinQuantity = 1;
inline constexpr int kMaxQuantity = 1000;
inline constexpr std::size_t kMaxSkuLength = 64;

struct OrderItem {
  std::string sku;
  int qty = 0;
  friend bool operator==(const OrderItem&, const OrderItem&) = default;
};

// A SKU is 1..64 characters of [A-Za-z0-9._-]: no quotes, separators, control or non-ASCII bytes
// can reach SQL, logs or span attributes.
bool IsWellFormedSku(std::string_view sku) noexcept;

// Parses `items` (the JSON value of an "items" field; null when absent). Throws HttpError 400
// with a code naming the rule ("missing_items", "too_many_items", "invalid_item", "invalid_sku",
// "invalid_quantity") and a message naming the line ("items[3].qty must be an integer from 1 to
// 1000").
std::vector<OrderItem> ParseItems(const nlohmann::json& items);

// The same SKUs with quantities of repeated SKUs summed, sorted by SKU: the order in which rows
// are locked, so that concurrent reservations can never deadlock.
std::vector<OrderItem> MergeBySku(const std::vector<OrderItem>& items);

// [{"sku":..., "qty":...}, ...]
nlohmann::json ItemsToJson(const std::vector<OrderItem>& items);

// A short, safe rendering of an arbitrary string for an error message: at most `max` bytes,
// non-printable and non-ASCII bytes as \xNN, "..." when cut.
std::string Printable(std::string_view text, std::size_t max = 40);

}  // namespace hotorder::domain
