#pragma once
// inventory-service's rules, apart from HTTP and SQL: what a reservation request must look like,
// which outcome is which error, and the JSON it answers with.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/order_items.hpp"
#include "inventory_repository.hpp"

namespace hotorder::inventory {

struct ReserveRequest {
  std::string reservation_id;
  std::vector<domain::OrderItem> items;  // merged by SKU, sorted
};

// {"reservation_id": uuid, "items": [...]}; 400 on anything else.
ReserveRequest ParseReserveRequest(const nlohmann::json& body);
// {"reservation_id": uuid}; 400 on anything else.
std::string ParseReleaseRequest(const nlohmann::json& body);
// A SKU from a path; 400 "invalid_sku" unless well-formed.
void ValidateSku(const std::string& sku);

// Returns for a successful outcome; throws 404 "unknown_sku" or 409 "insufficient_stock"
// naming the SKU otherwise.
void RaiseForOutcome(const ReserveOutcome& outcome);

nlohmann::json ReservationJson(const ReserveRequest& request, const ReserveOutcome& outcome);
nlohmann::json StockJson(const StockLevel& stock);

}  // namespace hotorder::inventory
