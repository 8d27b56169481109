#pragma once
// The JSON shapes of a trace and its parts, for scripts and tests: `show --json` prints the whole
// trace, `explain --json` reuses the event and attribute shapes for its culprit. Offsets are
// microseconds from the trace's start, so two traces compare without clock arithmetic.

#include <vector>

#include <nlohmann/json.hpp>

#include "tools/investigate/trace_model.hpp"

namespace hotorder::investigate {

// {"key": value, ...} in the span's order, values with Jaeger's JSON types.
nlohmann::ordered_json AttributesJson(const std::vector<Attribute>& attributes);

// {"name","offset_us","span_offset_us","attributes"}
nlohmann::ordered_json EventJson(const Trace& trace, const Span& span, const Event& event);

// {"trace_id","duration_us","span_count","service_count","error_count","spans":[{"span_id",
// "parent_span_id","depth","service","operation","kind","start_offset_us","duration_us",
// "error","attributes","events"}]}, spans in the waterfall's order (tree order).
nlohmann::ordered_json WaterfallJson(const Trace& trace);

}  // namespace hotorder::investigate
