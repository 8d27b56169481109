#pragma once
// Small text helpers shared by the renderers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/investigate/trace_model.hpp"

namespace hotorder::investigate {

// Pads (or cuts, ending in "...") `text` to exactly `width` bytes. Names are ASCII in practice;
// a multi-byte character only shifts its own row.
std::string Fit(std::string_view text, std::size_t width);
std::string PadLeft(std::string_view text, std::size_t width);

// "db.index=stock_sku_idx db.rows_scanned=100000" on one line: whitespace runs in a value
// become one space (a SQL text has newlines), a value longer than kMaxValueWidth is cut with
// "...", and values with spaces or quotes are quoted. The JSON outputs keep values whole.
inline constexpr std::size_t kMaxValueWidth = 120;
std::string FormatAttributes(const std::vector<Attribute>& attributes);

// Local wall-clock time of a µs timestamp: "19:40:01.123".
std::string FormatClockTime(std::int64_t epoch_us);

// "api-gateway: POST /api/orders".
std::string SpanLabel(const Span& span);

}  // namespace hotorder::investigate
