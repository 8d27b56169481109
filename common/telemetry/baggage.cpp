#include "telemetry/baggage.hpp"

#include <algorithm>

#include "telemetry/propagation/w3c_baggage.hpp"

namespace hotorder::telemetry {

Baggage::Baggage(std::vector<BaggageEntry>&& entries)
    : entries_(entries.empty() ? nullptr
                               : std::make_shared<const std::vector<BaggageEntry>>(
                                     std::move(entries))) {}

const std::vector<BaggageEntry>& Baggage::entries() const noexcept {
  static const std::vector<BaggageEntry> kNone;
  return entries_ ? *entries_ : kNone;
}

std::optional<std::string_view> Baggage::Get(std::string_view key) const noexcept {
  for (const auto& entry : entries()) {
    if (entry.key == key) return std::string_view(entry.value);
  }
  return std::nullopt;
}

Baggage Baggage::Set(std::string_view key, std::string_view value,
                     std::string_view metadata) const {
  if (!IsBaggageToken(key)) return *this;
  std::vector<BaggageEntry> entries = this->entries();
  for (auto& entry : entries) {
    if (entry.key == key) {  // replaced in place: W3C asks to keep the order of members
      entry.value = std::string(value);
      entry.metadata = std::string(metadata);
      return Baggage(std::move(entries));
    }
  }
  entries.push_back({std::string(key), std::string(value), std::string(metadata)});
  return Baggage(std::move(entries));
}

Baggage Baggage::Delete(std::string_view key) const {
  std::vector<BaggageEntry> entries = this->entries();
  std::erase_if(entries, [key](const BaggageEntry& entry) { return entry.key == key; });
  return Baggage(std::move(entries));
}

}  // namespace hotorder::telemetry
