#include "stock_plan.hpp"

#include <algorithm>
#include <vector>

namespace hotorder::inventory {

bool ScansWholeTable(std::string_view access) noexcept {
  return access.find("Seq Scan on stock") != std::string_view::npos;
}
namespace {

void CollectStockAccess(const nlohmann::json& node, std::vector<std::string>& found) {
  if (!node.is_object()) return;
  auto relation = node.find("Relation Name");
  auto type = node.find("Node Type");
  // Scan nodes only: a ModifyTable node names the table it writes, not how rows were found.
  if (relation != node.end() && *relation == "stock" && type != node.end() && type->is_string() &&
      type->get_ref<const std::string&>().ends_with("Scan")) {
    std::string access = type->get<std::string>();
    if (auto index = node.find("Index Name"); index != node.end() && index->is_string()) {
      access += " using " + index->get<std::string>();
    }
    access += " on stock";
    if (std::find(found.begin(), found.end(), access) == found.end()) found.push_back(access);
  }
  if (auto children = node.find("Plans"); children != node.end() && children->is_array()) {
    for (const auto& child : *children) CollectStockAccess(child, found);
  }
}

}  // namespace

std::string DescribeStockAccess(const nlohmann::json& explain) {
  // EXPLAIN (FORMAT JSON) answers [{"Plan": {...}}].
  if (!explain.is_array() || explain.empty() || !explain[0].is_object() ||
      !explain[0].contains("Plan")) {
    return {};
  }
  std::vector<std::string> found;
  CollectStockAccess(explain[0]["Plan"], found);
  std::string description;
  for (const auto& access : found) {
    if (!description.empty()) description += ", ";
    description += access;
  }
  return description;
}

StockScanWork Difference(const StockScanCounters& before, const StockScanCounters& after) noexcept {
  return {after.seq_scans - before.seq_scans, after.index_scans - before.index_scans,
          (after.seq_rows - before.seq_rows) + (after.index_rows - before.index_rows)};
}

}  // namespace hotorder::inventory
