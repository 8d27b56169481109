#pragma once
// The few values the floor needs from an order body, found by string search instead of a JSON
// parse. The floor trusts its load generator's well-formed bodies; HotOrder's full validation
// is part of the gap being measured.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hotorder::floor_chain {

// The string value of the first `"key": "value"` in body (no escapes inside).
std::optional<std::string_view> StringField(std::string_view body, std::string_view key);

// An order's lines as the Postgres array literals HotOrder passes as statement parameters
// ('{"SKU-001","SKU-002"}' and '{2,1}'), so one statement handles every line.
struct OrderLines {
  std::string skus;
  std::string quantities;
  std::size_t count = 0;
};

// Every `"sku": "..."` of body with the `"qty": N` that follows it. nullopt when there is no
// line, a qty is missing or not in 1..1000, or a SKU has a character outside A-Z a-z 0-9 . _ -
// (HotOrder's rule, which also keeps the array literal free of quoting).
std::optional<OrderLines> ParseOrderLines(std::string_view body);

// A random version-4 UUID, from a per-thread generator (no lock on the request path).
std::string NewUuid();

// n random lowercase hex digits (a trace id's shape, for the orders.trace_id column).
std::string RandomHex(int digits);

// FNV-1a of text as 16 hex digits: HotOrder's request fingerprint costs about this much.
std::string Fnv1aHex(std::string_view text);

}  // namespace hotorder::floor_chain
