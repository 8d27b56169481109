#include "tools/investigate/analysis.hpp"

#include <algorithm>
#include <utility>

namespace hotorder::investigate {
namespace {

struct Interval {
  std::int64_t start = 0;
  std::int64_t end = 0;
};

// Children of `parent` clipped to [from, to]; empty intervals dropped.
std::vector<std::pair<std::size_t, Interval>> ClippedChildren(const Trace& trace,
                                                               std::size_t parent,
                                                               std::int64_t from, std::int64_t to) {
  std::vector<std::pair<std::size_t, Interval>> clipped;
  for (std::size_t child : trace.spans[parent].children) {
    const Span& span = trace.spans[child];
    const Interval interval{std::max(span.start_us, from), std::min(span.end_us(), to)};
    if (interval.end > interval.start) clipped.emplace_back(child, interval);
  }
  return clipped;
}

// Recursion depth is the tree's depth; traces are a few dozen levels at most.
void WalkCritical(const Trace& trace, std::size_t index, Interval segment,
                  std::vector<CriticalStep>& steps) {
  auto children = ClippedChildren(trace, index, segment.start, segment.end);
  // Latest end first; among equal ends the longer child (it covers more of the path).
  std::sort(children.begin(), children.end(), [](const auto& a, const auto& b) {
    if (a.second.end != b.second.end) return a.second.end > b.second.end;
    if (a.second.start != b.second.start) return a.second.start < b.second.start;
    return a.first < b.first;
  });
  std::int64_t cursor = segment.end;
  std::int64_t covered = 0;
  for (const auto& [child, interval] : children) {
    if (interval.end > cursor) continue;  // ran in parallel with a later critical child
    WalkCritical(trace, child, interval, steps);
    covered += interval.end - interval.start;
    cursor = interval.start;
  }
  steps.push_back({index, (segment.end - segment.start) - covered});
}

}  // namespace

std::int64_t SelfTime(const Trace& trace, std::size_t span) {
  const Span& self = trace.spans[span];
  auto children = ClippedChildren(trace, span, self.start_us, self.end_us());
  std::sort(children.begin(), children.end(),
            [](const auto& a, const auto& b) { return a.second.start < b.second.start; });
  std::int64_t covered = 0;
  std::int64_t reach = self.start_us;  // end of the union so far
  for (const auto& [child, interval] : children) {
    const std::int64_t from = std::max(interval.start, reach);
    if (interval.end > from) covered += interval.end - from;
    reach = std::max(reach, interval.end);
  }
  return self.duration_us - covered;
}

std::vector<CriticalStep> CriticalPath(const Trace& trace) {
  std::vector<CriticalStep> steps;
  const Span* root = trace.Root();
  if (root == nullptr) return steps;
  WalkCritical(trace, trace.root, {root->start_us, root->end_us()}, steps);
  std::vector<std::size_t> position(trace.spans.size(), 0);
  for (std::size_t i = 0; i < trace.tree_order.size(); ++i) position[trace.tree_order[i]] = i;
  std::sort(steps.begin(), steps.end(), [&position](const CriticalStep& a, const CriticalStep& b) {
    return position[a.span] < position[b.span];
  });
  return steps;
}

std::optional<Culprit> FindCulprit(const Trace& trace, const std::vector<CriticalStep>& path) {
  if (path.empty()) return std::nullopt;
  const CriticalStep* best = &path.front();
  for (const CriticalStep& step : path) {
    if (step.self_us >= best->self_us) best = &step;
  }
  return Culprit{best->span, best->self_us, ShareOfRoot(trace, best->self_us)};
}

double ShareOfRoot(const Trace& trace, std::int64_t part_us) {
  const Span* root = trace.Root();
  if (root == nullptr || root->duration_us <= 0) return 0;
  return static_cast<double>(part_us) / static_cast<double>(root->duration_us);
}

}  // namespace hotorder::investigate
