#include "tools/investigate/explain_report.hpp"

#include <algorithm>

#include "tools/investigate/duration.hpp"
#include "tools/investigate/text.hpp"
#include "tools/investigate/trace_json.hpp"

namespace hotorder::investigate {
namespace {

using json = nlohmann::ordered_json;

std::vector<Attribute> NotableAttributes(const Span& span) {
  std::vector<Attribute> notable;
  for (const Attribute& tag : span.tags) {
    if (IsNotableAttribute(tag.key)) notable.push_back(tag);
  }
  return notable;
}

std::size_t OrphanCount(const Trace& trace) {
  return static_cast<std::size_t>(std::count_if(trace.spans.begin(), trace.spans.end(),
                                                [](const Span& span) { return span.orphan(); }));
}

}  // namespace

Explanation Explain(const Trace& trace) {
  Explanation explanation;
  explanation.critical_path = CriticalPath(trace);
  explanation.culprit = FindCulprit(trace, explanation.critical_path);
  return explanation;
}

bool IsNotableAttribute(std::string_view key) {
  for (std::string_view prefix : {"db.", "demo.", "http.", "url.", "server."}) {
    if (key.substr(0, prefix.size()) == prefix) return true;
  }
  return key == "error" || key == "otel.status_description";
}

std::string FormatExplainText(const Trace& trace, const Explanation& explanation) {
  const Span* root = trace.Root();
  if (root == nullptr || !explanation.culprit) return "Trace " + trace.trace_id + " has no spans\n";

  std::string text = "Trace " + trace.trace_id + "  " + SpanLabel(*root) + " took " +
                     FormatDuration(root->duration_us) + " (" + std::to_string(trace.spans.size()) +
                     " spans, " + std::to_string(trace.ServiceCount()) + " services, " +
                     std::to_string(trace.ErrorCount()) + " errors)\n";
  if (const std::size_t orphans = OrphanCount(trace); orphans > 0) {
    text += "note: " + std::to_string(orphans) +
            " span(s) name a parent that is not in the trace (yet); the analysis covers the "
            "root's tree only\n";
  }

  text += "\nCritical path (time on the path not spent in a child, share of " +
          FormatDuration(root->duration_us) + "):\n";
  const int root_depth = root->depth;
  for (const CriticalStep& step : explanation.critical_path) {
    const Span& span = trace.spans[step.span];
    const std::string indent(static_cast<std::size_t>(std::max(0, span.depth - root_depth)) * 2, ' ');
    std::string line = "  " + PadLeft(FormatDuration(step.self_us), 9) + "  " +
                       PadLeft(FormatPercent(ShareOfRoot(trace, step.self_us)), 6) + "  " +
                       indent + SpanLabel(span);
    if (span.error) line += "  ERROR";
    if (step.span == explanation.culprit->span) line += "  <- culprit";
    text += line + "\n";
  }

  const Culprit& culprit = *explanation.culprit;
  const Span& span = trace.spans[culprit.span];
  text += "\nCulprit: " + SpanLabel(span) + "  (span " + span.span_id + ")\n";
  text += "  " + FormatDuration(culprit.self_us) + " of the root's " +
          FormatDuration(root->duration_us) + " (" + FormatPercent(culprit.share) +
          ") is this span's own time\n";
  text += "  service    " + span.service + "\n";
  text += "  operation  " + span.operation + (span.kind.empty() ? "" : " (" + span.kind + ")") + "\n";
  text += "  duration   " + FormatDuration(span.duration_us) + "\n";
  text += "  self time  " + FormatDuration(culprit.self_us) + " on the critical path\n";
  if (span.error) text += "  status     ERROR\n";
  if (!span.events.empty()) {
    text += "  events:\n";
    for (const Event& event : span.events) {
      std::string line = "    +" + FormatDuration(event.timestamp_us - trace.start_us) + " (" +
                         FormatDuration(event.timestamp_us - span.start_us) +
                         " into the span)  " + event.name;
      if (!event.attributes.empty()) line += "  " + FormatAttributes(event.attributes);
      text += line + "\n";
    }
  }
  const auto notable = NotableAttributes(span);
  if (!notable.empty()) {
    text += "  attributes:\n";
    for (const Attribute& attribute : notable) {
      text += "    " + FormatAttributes({attribute}) + "\n";
    }
  }
  text += "\nSee it in context: investigate show " + trace.trace_id + "\n";
  return text;
}

json ExplainJson(const Trace& trace, const Explanation& explanation) {
  json out = json::object();
  out["trace_id"] = trace.trace_id;
  const Span* root = trace.Root();
  if (root == nullptr) {
    out["root"] = nullptr;
    out["duration_us"] = 0;
  } else {
    out["root"] = {{"span_id", root->span_id},
                   {"service", root->service},
                   {"operation", root->operation},
                   {"start_time_us", root->start_us},
                   {"duration_us", root->duration_us},
                   {"error", root->error}};
    out["duration_us"] = root->duration_us;
  }
  out["span_count"] = trace.spans.size();
  out["service_count"] = trace.ServiceCount();
  out["error_count"] = trace.ErrorCount();
  out["orphan_count"] = OrphanCount(trace);
  if (root == nullptr) {
    out["critical_path"] = json::array();
    out["culprit"] = nullptr;
    return out;
  }

  json path = json::array();
  for (const CriticalStep& step : explanation.critical_path) {
    const Span& span = trace.spans[step.span];
    path.push_back({{"span_id", span.span_id},
                    {"service", span.service},
                    {"operation", span.operation},
                    {"self_us", step.self_us},
                    {"share", ShareOfRoot(trace, step.self_us)}});
  }
  out["critical_path"] = path;

  if (!explanation.culprit) {
    out["culprit"] = nullptr;
    return out;
  }
  const Culprit& culprit = *explanation.culprit;
  const Span& span = trace.spans[culprit.span];
  json events = json::array();
  for (const Event& event : span.events) events.push_back(EventJson(trace, span, event));
  out["culprit"] = {{"span_id", span.span_id},
                    {"service", span.service},
                    {"operation", span.operation},
                    {"kind", span.kind},
                    {"start_offset_us", span.start_us - trace.start_us},
                    {"duration_us", span.duration_us},
                    {"self_us", culprit.self_us},
                    {"share", culprit.share},
                    {"error", span.error},
                    {"events", events},
                    {"attributes", AttributesJson(NotableAttributes(span))}};
  return out;
}

}  // namespace hotorder::investigate
