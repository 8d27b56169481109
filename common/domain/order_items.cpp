#include "domain/order_items.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "http/http_error.hpp"

namespace hotorder::domain {
namespace {

using http::HttpError;

HttpError BadInput(std::string code, const std::string& message) {
  return HttpError(400, std::move(code), message);
}

std::string Line(std::size_t index) { return "items[" + std::to_string(index) + "]"; }

std::string ParseSku(const nlohmann::json& item, std::size_t index) {
  auto found = item.find("sku");
  if (found == item.end() || !found->is_string()) {
    throw BadInput("invalid_sku", Line(index) + ".sku must be a string");
  }
  const auto& sku = found->get_ref<const std::string&>();
  if (!IsWellFormedSku(sku)) {
    throw BadInput("invalid_sku", Line(index) + ".sku \"" + Printable(sku) +
                                      "\" is not a SKU (1-64 characters of A-Z a-z 0-9 . _ -)");
  }
  return sku;
}

int ParseQuantity(const nlohmann::json& item, std::size_t index) {
  auto found = item.find("qty");
  const std::string rule = Line(index) + ".qty must be an integer from " +
                           std::to_string(kMinQuantity) + " to " + std::to_string(kMaxQuantity);
  // JSON has one number type; 2.0, 1e3 and 2.5 arrive as floats and are refused alike, so a
  // client never has a fraction silently rounded.
  if (found == item.end() || !found->is_number_integer()) throw BadInput("invalid_quantity", rule);
  // Parsed JSON holds non-negative integers as unsigned, constructed JSON as signed: read both.
  auto value = found->is_number_unsigned()
                   ? static_cast<std::int64_t>(std::min<std::uint64_t>(
                         found->get<std::uint64_t>(), static_cast<std::uint64_t>(kMaxQuantity) + 1))
                   : found->get<std::int64_t>();
  if (value < kMinQuantity || value > kMaxQuantity) throw BadInput("invalid_quantity", rule);
  return static_cast<int>(value);
}

}  // namespace

bool IsWellFormedSku(std::string_view sku) noexcept {
  if (sku.empty() || sku.size() > kMaxSkuLength) return false;
  return std::all_of(sku.begin(), sku.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

std::vector<OrderItem> ParseItems(const nlohmann::json& items) {
  if (items.is_null()) throw BadInput("missing_items", "items is required");
  if (!items.is_array()) throw BadInput("invalid_items", "items must be an array");
  if (items.empty()) throw BadInput("missing_items", "items must not be empty");
  if (items.size() > kMaxItems) {
    throw BadInput("too_many_items", "an order has at most " + std::to_string(kMaxItems) +
                                         " items, got " + std::to_string(items.size()));
  }
  std::vector<OrderItem> parsed;
  parsed.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    if (!item.is_object()) throw BadInput("invalid_item", Line(i) + " must be an object");
    parsed.push_back({ParseSku(item, i), ParseQuantity(item, i)});
  }
  return parsed;
}

std::vector<OrderItem> MergeBySku(const std::vector<OrderItem>& items) {
  std::map<std::string, int> totals;
  for (const auto& item : items) totals[item.sku] += item.qty;
  std::vector<OrderItem> merged;
  merged.reserve(totals.size());
  for (auto& [sku, qty] : totals) merged.push_back({sku, qty});
  return merged;
}

nlohmann::json ItemsToJson(const std::vector<OrderItem>& items) {
  auto array = nlohmann::json::array();
  for (const auto& item : items) array.push_back({{"sku", item.sku}, {"qty", item.qty}});
  return array;
}

std::string Printable(std::string_view text, std::size_t max) {
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    }
  }
  return out;
}

}  // namespace hotorder::domain
