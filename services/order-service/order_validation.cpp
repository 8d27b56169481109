#include "order_validation.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>

#include "http/http_error.hpp"

namespace hotorder::orders {
namespace {

using http::HttpError;

std::string ParseCustomerId(const nlohmann::json& body) {
  auto found = body.find("customer_id");
  if (found == body.end()) return std::string(kDefaultCustomerId);
  if (!found->is_string()) {
    throw HttpError(400, "invalid_customer_id", "customer_id must be a string");
  }
  const auto& id = found->get_ref<const std::string&>();
  // The same alphabet as SKUs: an id ends up in logs, span attributes and SQL parameters.
  if (!domain::IsWellFormedSku(id)) {
    throw HttpError(400, "invalid_customer_id",
                    "customer_id \"" + domain::Printable(id) +
                        "\" must be 1-64 characters of A-Z a-z 0-9 . _ -");
  }
  return id;
}

// One of the two spellings of the tier; nullopt when absent.
std::optional<std::string> ParseTierField(const nlohmann::json& body, const std::string& field) {
  auto found = body.find(field);
  if (found == body.end()) return std::nullopt;
  if (found->is_string()) {
    const auto& tier = found->get_ref<const std::string&>();
    if (std::find(kTiers.begin(), kTiers.end(), tier) != kTiers.end()) return tier;
  }
  throw HttpError(400, "invalid_customer_tier",
                  field + " must be one of \"standard\", \"gold\", \"platinum\"");
}

std::string ParseTier(const nlohmann::json& body) {
  auto tier = ParseTierField(body, "tier");
  auto customer_tier = ParseTierField(body, "customer_tier");
  if (tier && customer_tier && *tier != *customer_tier) {
    throw HttpError(400, "conflicting_tier",
                    "tier \"" + *tier + "\" and customer_tier \"" + *customer_tier +
                        "\" differ: send one of them");
  }
  if (tier) return *tier;
  return customer_tier.value_or(std::string(kDefaultTier));
}

}  // namespace

OrderRequest ParseOrderRequest(const nlohmann::json& body) {
  OrderRequest request;
  request.customer_id = ParseCustomerId(body);
  request.customer_tier = ParseTier(body);
  request.items = domain::ParseItems(body.contains("items") ? body.at("items") : nlohmann::json());
  return request;
}

void ValidateIdempotencyKey(std::string_view key) {
  bool printable = std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c < 0x7f; });
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength || !printable) {
    throw HttpError(400, "invalid_idempotency_key",
                    "Idempotency-Key must be 1-128 printable ASCII characters");
  }
}

std::string RequestFingerprint(const OrderRequest& request) {
  // FNV-1a over a canonical rendering; collisions only matter between retries of one key.
  std::string canonical = request.customer_id + '\n' + request.customer_tier + '\n';
  for (const auto& item : request.items) canonical += item.sku + ':' + std::to_string(item.qty) + ';';
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : canonical) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace hotorder::orders
