#include "telemetry/baggage.hpp"

#include <algorithm>

#include "telemetry/propagation/w3c_baggage.hpp"

namespace hotorder::telemetry {

std::optional<std::string_view> Baggage::Get(std::string_view key) const noexcept {
  for (const auto& entry : entries_) {
    if (entry.key == key) return std::string_view(entry.value);
  }
  return std::nullopt;
}

Baggage Baggage::Set(std::string_view key, std::string_view value,
                     std::string_view metadata) const {
  if (!IsBaggageToken(key)) return *this;
  Baggage result = *this;
  for (auto& entry : result.entries_) {
    if (entry.key == key) {  // replaced in place: W3C asks to keep the order of members
      entry.value = std::string(value);
      entry.metadata = std::string(metadata);
      return result;
    }
  }
  result.entries_.push_back({std::string(key), std::string(value), std::string(metadata)});
  return result;
}

Baggage Baggage::Delete(std::string_view key) const {
  Baggage result = *this;
  std::erase_if(result.entries_, [key](const BaggageEntry& entry) { return entry.key == key; });
  return result;
}

}  // namespace hotorder::telemetry
