#pragma once
// Where a trace's time went: self time, the critical path, and the culprit.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "tools/investigate/trace_model.hpp"

namespace hotorder::investigate {

// A span's duration minus the time covered by at least one of its children (clipped to the
// span): parallel or overlapping children are not subtracted twice.
std::int64_t SelfTime(const Trace& trace, std::size_t span);

struct CriticalStep {
  std::size_t span = kNoSpan;
  std::int64_t self_us = 0;  // the span's time on the path not covered by a critical child
};

// The critical path from the trace's root: walking backwards from the root's end, the child
// that finishes last before the cursor is on the path (recursively), and the cursor moves to its
// start; a child ending after the cursor ran in parallel with a critical sibling and held
// nothing up, so it is not. Children are clipped to their parent. The steps come in tree order; the self times add up
// to the root's duration. Empty for an empty trace.
std::vector<CriticalStep> CriticalPath(const Trace& trace);

struct Culprit {
  std::size_t span = kNoSpan;
  std::int64_t self_us = 0;  // critical self time
  double share = 0;          // self_us / root duration (0 for a zero-length root)
};

// The step with the largest critical self time; on a tie the deeper one (later in tree order).
std::optional<Culprit> FindCulprit(const Trace& trace, const std::vector<CriticalStep>& path);

// part / the root's duration, 0 when the root has none.
double ShareOfRoot(const Trace& trace, std::int64_t part_us);

}  // namespace hotorder::investigate
