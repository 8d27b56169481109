#include "telemetry/attributes.hpp"

namespace hotorder::telemetry {
namespace {

void TruncateString(std::string& s, std::size_t max_length) noexcept {
  if (s.size() <= max_length) return;
  std::size_t cut = max_length;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so the cut lands on a character start.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
}

}  // namespace

void TruncateStrings(AttributeValue& value, std::size_t max_length) noexcept {
  if (auto* s = std::get_if<std::string>(&value.variant())) {
    TruncateString(*s, max_length);
  } else if (auto* list = std::get_if<std::vector<std::string>>(&value.variant())) {
    for (auto& item : *list) TruncateString(item, max_length);
  }
}

namespace {

// Truncates `value` to the limit, then gives it to `key` if the list has that key already (spec:
// keys are unique, the last value wins); false when the key is new.
bool Overwrite(Attributes& list, std::string_view key, AttributeValue& value,
               const AttributeLimits& limits) {
  if (limits.value_length != AttributeLimits::kUnlimited) {
    TruncateStrings(value, limits.value_length);
  }
  for (auto& item : list) {
    if (item.key == key) {
      item.value = std::move(value);
      return true;
    }
  }
  return false;
}

// Whether a new key fits under the count limit (a dropped one is counted).
bool HasRoom(Attributes& list, const AttributeLimits& limits, std::uint32_t& dropped) {
  if (list.size() >= limits.count) {
    ++dropped;
    return false;
  }
  // Spans typically carry several attributes: start with room for a few instead of growing
  // through 1, 2 and 4 (each growth a reallocation and a move of every element).
  if (list.capacity() == 0) list.reserve(8);
  return true;
}

}  // namespace

void SetAttribute(Attributes& list, std::string_view key, AttributeValue&& value,
                  const AttributeLimits& limits, std::uint32_t& dropped) {
  if (Overwrite(list, key, value, limits) || !HasRoom(list, limits, dropped)) return;
  list.push_back(KeyValue{std::string(key), std::move(value)});
}

void SetAttribute(Attributes& list, KeyValue&& item, const AttributeLimits& limits,
                  std::uint32_t& dropped) {
  if (Overwrite(list, item.key, item.value, limits) || !HasRoom(list, limits, dropped)) return;
  list.push_back(std::move(item));
}

const AttributeValue* FindAttribute(const Attributes& attributes, std::string_view key) noexcept {
  for (const auto& item : attributes) {
    if (item.key == key) return &item.value;
  }
  return nullptr;
}

}  // namespace hotorder::telemetry
