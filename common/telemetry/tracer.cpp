#include "telemetry/tracer.hpp"

#include "telemetry/tracer_provider.hpp"

namespace hotorder::telemetry {
namespace {

constexpr std::size_t kAttributesAddedLater = 4;

}  // namespace

Span Tracer::StartSpan(std::string_view name, const Context& parent_context,
                       StartSpanOptions options) const noexcept {
  const SpanContext& parent = parent_context.span;
  if (!shared_->enabled) return Span(parent);
  try {
    const bool root = !parent.IsValid();
    const TraceId trace_id = root ? shared_->id_generator->NewTraceId() : parent.trace_id();
    const SpanId span_id = shared_->id_generator->NewSpanId();

    SamplingResult sampling = shared_->sampler->ShouldSample(
        {parent, trace_id, name, options.kind, options.attributes, options.links});
    const bool sampled = sampling.decision == SamplingDecision::kRecordAndSample;
    // A new trace id is fully random, so Level 2's random flag is set for it; a child keeps
    // whatever its parent said.
    const std::uint8_t random =
        root ? TraceFlags::kRandom : (parent.flags() & TraceFlags::kRandom);
    SpanContext context(trace_id, span_id,
                        static_cast<std::uint8_t>(random | (sampled ? TraceFlags::kSampled : 0)),
                        /*remote=*/false,
                        sampling.trace_state ? std::move(*sampling.trace_state)
                                             : parent.trace_state());
    if (sampling.decision == SamplingDecision::kDrop) return Span(context);

    SdkCounters::Add(shared_->counters->spans_started);
    const auto steady_start =
        options.start_time ? std::chrono::steady_clock::time_point{} : std::chrono::steady_clock::now();
    auto data = std::make_unique<SpanData>();
    data->context = context;
    if (!root) {
      data->parent_span_id = parent.span_id();
      data->parent_is_remote = parent.IsRemote();
    }
    data->name.assign(name);
    data->kind = options.kind;
    data->start_time = options.start_time
                           ? *options.start_time
                           : std::chrono::time_point_cast<std::chrono::nanoseconds>(
                                 std::chrono::system_clock::now());
    const SpanLimits& limits = shared_->limits;
    // Room for the attributes known now and the few a span usually gets later (a status code,
    // an id), so the list is allocated once; the items move in, keys and all.
    data->attributes.reserve(options.attributes.size() + sampling.attributes.size() +
                             kAttributesAddedLater);
    for (auto* list : {&options.attributes, &sampling.attributes}) {
      for (auto& item : *list) {
        SetAttribute(data->attributes, std::move(item), limits.span_attributes,
                     data->dropped_attributes_count);
      }
    }
    for (auto& link : options.links) {
      if (data->links.size() >= limits.link_count) {
        ++data->dropped_links_count;
        continue;
      }
      SpanLink limited{link.context, {}, link.dropped_attributes_count};
      for (auto& item : link.attributes) {
        SetAttribute(limited.attributes, std::move(item), limits.link_attributes,
                     limited.dropped_attributes_count);
      }
      data->links.push_back(std::move(limited));
    }
    data->resource = &shared_->resource;
    data->scope = &scope_;
    if (shared_->processor) shared_->processor->OnStart(*data, parent);
    return Span(context, std::move(data), shared_, steady_start);
  } catch (...) {
    // Out of memory or a throwing sampler: tracing gives up on this span, the request goes on.
    return Span(parent);
  }
}

}  // namespace hotorder::telemetry
