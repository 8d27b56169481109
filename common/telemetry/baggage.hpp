#pragma once
// W3C Baggage: application-defined key/value pairs (each with optional properties) that travel
// with a request. Immutable: Set and Delete return a new Baggage, and copies share one list, so
// the context copies a request makes at every span and hop cost no allocation.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotorder::telemetry {

struct BaggageEntry {
  std::string key;
  std::string value;     // decoded (percent-decoding already applied)
  std::string metadata;  // the properties after the first ';', kept verbatim
  friend bool operator==(const BaggageEntry&, const BaggageEntry&) = default;
};

class Baggage {
 public:
  // W3C Baggage limits a propagated header to 64 members and 8192 bytes.
  static constexpr std::size_t kMaxMembers = 64;
  static constexpr std::size_t kMaxBytes = 8192;

  Baggage() = default;

  std::optional<std::string_view> Get(std::string_view key) const noexcept;
  // Adds or replaces `key`. Keys must be RFC 7230 tokens; an invalid key leaves baggage unchanged.
  Baggage Set(std::string_view key, std::string_view value, std::string_view metadata = {}) const;
  Baggage Delete(std::string_view key) const;

  bool empty() const noexcept { return entries().empty(); }
  const std::vector<BaggageEntry>& entries() const noexcept;
  friend bool operator==(const Baggage& a, const Baggage& b) noexcept {
    return a.entries() == b.entries();
  }

 private:
  explicit Baggage(std::vector<BaggageEntry>&& entries);

  std::shared_ptr<const std::vector<BaggageEntry>> entries_;  // null: no members
};

}  // namespace hotorder::telemetry
