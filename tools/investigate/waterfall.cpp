#include "tools/investigate/waterfall.hpp"

#include <algorithm>
#include <vector>

#include "tools/investigate/analysis.hpp"
#include "tools/investigate/duration.hpp"
#include "tools/investigate/text.hpp"

namespace hotorder::investigate {
namespace {

// Long operation names are cut here so the bars stay on screen.
constexpr std::size_t kMaxNameWidth = 56;
constexpr std::size_t kMaxServiceWidth = 24;

std::string Bar(BarColumns columns, const WaterfallStyle& style) {
  const std::string empty = style.ascii ? "-" : "░";
  const std::string full = style.ascii ? "#" : "█";
  std::string bar;
  for (int column = 0; column < kBarWidth; ++column) {
    bar += column >= columns.first && column < columns.last ? full : empty;
  }
  return bar;
}

std::string Plural(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

}  // namespace

BarColumns BarFor(std::int64_t start, std::int64_t end, std::int64_t from, std::int64_t to) {
  const std::int64_t total = to - from;
  if (total <= 0) return {0, kBarWidth};
  auto column = [&](std::int64_t time, bool round_up) {
    const std::int64_t offset = std::clamp<std::int64_t>(time - from, 0, total);
    const std::int64_t scaled = offset * kBarWidth;
    return static_cast<int>(round_up ? (scaled + total - 1) / total : scaled / total);
  };
  BarColumns columns{column(start, false), column(end, true)};
  columns.first = std::min(columns.first, kBarWidth - 1);
  columns.last = std::max(columns.last, columns.first + 1);
  return columns;
}

std::string RenderWaterfall(const Trace& trace, WaterfallStyle style) {
  const Span* root = trace.Root();
  if (root == nullptr) return "Trace " + trace.trace_id + " has no spans\n";

  std::string text = "Trace " + trace.trace_id + "  " + SpanLabel(*root) + "  " +
                     FormatDuration(trace.duration_us()) + "  " +
                     Plural(trace.spans.size(), "span", "spans") + ", " +
                     Plural(trace.ServiceCount(), "service", "services") + ", " +
                     Plural(trace.ErrorCount(), "error", "errors") + "\n\n";

  std::size_t name_width = 4;
  std::size_t service_width = 7;
  for (std::size_t index : trace.tree_order) {
    const Span& span = trace.spans[index];
    name_width = std::max(name_width, static_cast<std::size_t>(span.depth) * 2 + span.operation.size());
    service_width = std::max(service_width, span.service.size());
  }
  name_width = std::min(name_width, kMaxNameWidth);
  service_width = std::min(service_width, kMaxServiceWidth);

  const std::string timeline = "0 .. " + FormatDuration(trace.duration_us());
  text += Fit("SPAN", name_width) + "  " + Fit("SERVICE", service_width) + "  " +
          Fit(timeline, kBarWidth) + "  " + PadLeft("DURATION", 9) + "  " + PadLeft("SELF", 9) +
          "\n";

  const std::string bullet = style.ascii ? "* " : "• ";
  for (std::size_t index : trace.tree_order) {
    const Span& span = trace.spans[index];
    const std::string indent(static_cast<std::size_t>(span.depth) * 2, ' ');
    std::string row = Fit(indent + span.operation, name_width) + "  " +
                      Fit(span.service, service_width) + "  " +
                      Bar(BarFor(span.start_us, span.end_us(), trace.start_us, trace.end_us), style) +
                      "  " + PadLeft(FormatDuration(span.duration_us), 9) + "  " +
                      PadLeft(FormatDuration(SelfTime(trace, index)), 9);
    if (span.error) row += "  ERROR";
    text += row + "\n";

    const std::string detail = indent + "    ";
    if (span.orphan()) {
      text += detail + "! parent " + span.parent_span_id + " is not in the trace (yet)\n";
    }
    if (span.error) {
      if (const Attribute* description = span.Tag("otel.status_description")) {
        text += detail + "! error: " + DisplayValue(description->value) + "\n";
      }
    }
    for (const Event& event : span.events) {
      std::string line = detail + bullet + "+" + FormatDuration(event.timestamp_us - trace.start_us) +
                         "  " + event.name;
      if (!event.attributes.empty()) line += "  " + FormatAttributes(event.attributes);
      text += line + "\n";
    }
    for (const std::string& warning : span.warnings) {
      text += detail + "! warning: " + warning + "\n";
    }
  }
  return text;
}

}  // namespace hotorder::investigate
