#include "inventory_logic.hpp"

#include "domain/uuid.hpp"
#include "http/http_error.hpp"

namespace hotorder::inventory {
namespace {

std::string ParseReservationId(const nlohmann::json& body) {
  auto found = body.find("reservation_id");
  if (found == body.end() || !found->is_string() ||
      !domain::IsUuid(found->get_ref<const std::string&>())) {
    throw http::HttpError(400, "invalid_reservation_id", "reservation_id must be a UUID string");
  }
  return found->get<std::string>();
}

}  // namespace

ReserveRequest ParseReserveRequest(const nlohmann::json& body) {
  auto reservation_id = ParseReservationId(body);
  auto items = body.contains("items") ? body.at("items") : nlohmann::json();
  return {std::move(reservation_id), domain::MergeBySku(domain::ParseItems(items))};
}

std::string ParseReleaseRequest(const nlohmann::json& body) { return ParseReservationId(body); }

void ValidateSku(const std::string& sku) {
  if (!domain::IsWellFormedSku(sku)) {
    throw http::HttpError(400, "invalid_sku",
                          "\"" + domain::Printable(sku) + "\" is not a SKU");
  }
}

void RaiseForOutcome(const ReserveOutcome& outcome) {
  using Kind = ReserveOutcome::Kind;
  switch (outcome.kind) {
    case Kind::kReserved:
    case Kind::kAlreadyReserved:
      return;
    case Kind::kUnknownSku:
      throw http::HttpError(404, "unknown_sku", "unknown SKU " + outcome.sku);
    case Kind::kInsufficientStock:
      throw http::HttpError(409, "insufficient_stock",
                            "insufficient stock for " + outcome.sku + ": requested " +
                                std::to_string(outcome.requested) + ", available " +
                                std::to_string(outcome.available));
  }
}

nlohmann::json ReservationJson(const ReserveRequest& request, const ReserveOutcome& outcome) {
  return {{"reservation_id", request.reservation_id},
          {"status", outcome.kind == ReserveOutcome::Kind::kAlreadyReserved ? "already_reserved"
                                                                            : "reserved"},
          {"items", domain::ItemsToJson(request.items)}};
}

nlohmann::json StockJson(const StockLevel& stock) {
  return {{"sku", stock.sku},
          {"name", stock.name},
          {"quantity", stock.quantity},
          {"reserved", stock.reserved},
          {"available", stock.available()}};
}

}  // namespace hotorder::inventory
