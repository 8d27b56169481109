#include "stock_index.hpp"

namespace hotorder::inventory {

std::string_view StockIndexStateName(StockIndexState state) noexcept {
  switch (state) {
    case StockIndexState::kUnique: return "unique";
    case StockIndexState::kNonUnique: return "non-unique";
    case StockIndexState::kInvalid: return "invalid";
    case StockIndexState::kMissing: break;
  }
  return "missing";
}

}  // namespace hotorder::inventory
