#pragma once
// W3C Trace Context `tracestate`: an ordered list of vendor key/value members, at most 32.
// Immutable: Set and Delete return a new TraceState.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotorder::telemetry {

class TraceState {
 public:
  static constexpr std::size_t kMaxMembers = 32;

  TraceState() = default;

  // Parses a header value (several headers already joined with ','). Any invalid member or
  // more than 32 members yields an empty TraceState; a repeated key keeps its first (left-most)
  // entry, which the current W3C text allows; empty list members (",,") and optional whitespace
  // are allowed. Never throws.
  static TraceState FromHeader(std::string_view header) noexcept;
  // The header value, members in order, comma separated without spaces.
  std::string ToHeader() const;

  std::optional<std::string_view> Get(std::string_view key) const noexcept;
  // Adds or updates `key`, moving it to the front (W3C: a modified member goes first). Invalid
  // key or value leaves the state unchanged. When full, the last member makes room.
  TraceState Set(std::string_view key, std::string_view value) const;
  TraceState Delete(std::string_view key) const;

  static bool IsValidKey(std::string_view key) noexcept;
  static bool IsValidValue(std::string_view value) noexcept;

  bool empty() const noexcept { return entries_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& entries() const noexcept {
    return entries_;
  }
  friend bool operator==(const TraceState&, const TraceState&) = default;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace hotorder::telemetry
