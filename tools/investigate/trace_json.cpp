#include "tools/investigate/trace_json.hpp"

namespace hotorder::investigate {

using json = nlohmann::ordered_json;

json AttributesJson(const std::vector<Attribute>& attributes) {
  json object = json::object();
  for (const Attribute& attribute : attributes) object[attribute.key] = attribute.value;
  return object;
}

json EventJson(const Trace& trace, const Span& span, const Event& event) {
  return {{"name", event.name},
          {"offset_us", event.timestamp_us - trace.start_us},
          {"span_offset_us", event.timestamp_us - span.start_us},
          {"attributes", AttributesJson(event.attributes)}};
}

json WaterfallJson(const Trace& trace) {
  json spans = json::array();
  for (std::size_t index : trace.tree_order) {
    const Span& span = trace.spans[index];
    json events = json::array();
    for (const Event& event : span.events) events.push_back(EventJson(trace, span, event));
    spans.push_back({{"span_id", span.span_id},
                     {"parent_span_id", span.parent_span_id},
                     {"depth", span.depth},
                     {"service", span.service},
                     {"operation", span.operation},
                     {"kind", span.kind},
                     {"start_offset_us", span.start_us - trace.start_us},
                     {"duration_us", span.duration_us},
                     {"error", span.error},
                     {"attributes", AttributesJson(span.tags)},
                     {"events", events}});
  }
  return {{"trace_id", trace.trace_id},
          {"duration_us", trace.duration_us()},
          {"span_count", trace.spans.size()},
          {"service_count", trace.ServiceCount()},
          {"error_count", trace.ErrorCount()},
          {"spans", spans}};
}

}  // namespace hotorder::investigate
