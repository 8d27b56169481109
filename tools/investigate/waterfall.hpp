#pragma once
// `investigate show`: the trace as a waterfall in the terminal.

#include <string>

#include "tools/investigate/trace_model.hpp"

namespace hotorder::investigate {

inline constexpr int kBarWidth = 40;

struct WaterfallStyle {
  bool ascii = false;  // "-"/"#" bars and "*" event bullets instead of "░"/"█" and "•"
};

// The columns [first, last) of a kBarWidth-wide bar that [start, end) covers on a timeline
// [from, to]; at least one column, so an instant span still shows.
struct BarColumns {
  int first = 0;
  int last = 1;
};
BarColumns BarFor(std::int64_t start, std::int64_t end, std::int64_t from, std::int64_t to);

// A header line (trace id, root, total duration, span/service/error counts), a column header,
// then one row per span in tree order: indented name, service, bar, duration, self time, ERROR;
// under a span its events ("+offset name fields", the offset from the trace start), its error
// description, its warnings, and a note when its parent is missing. The timeline is the
// trace's window (first start to last end): the root's duration when children lie inside it,
// and nothing is cut off when clocks are skewed.
std::string RenderWaterfall(const Trace& trace, WaterfallStyle style = {});

}  // namespace hotorder::investigate
