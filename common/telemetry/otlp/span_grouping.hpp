#pragma once
// Walks a batch in OTLP's nesting: ResourceSpans per resource, ScopeSpans per instrumentation
// scope within it, spans inside. Resources, and scopes within a resource, come in order of first
// appearance in the batch and spans keep batch order, so an encoding is deterministic and a
// receiver sees spans in the order they ended. Identity is the pointer: a TracerProvider owns one
// Resource and each Tracer one InstrumentationScope (see SpanData).

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "telemetry/span_data.hpp"

namespace hotorder::telemetry::otlp {

// Visitor needs: BeginResource(const Resource*), BeginScope(const InstrumentationScope*),
// Span(const SpanData&), EndScope(), EndResource(). Null batch entries are skipped; null
// resource/scope pointers are a group of their own (encoded as empty).
template <typename Visitor>
void VisitGrouped(std::span<const std::unique_ptr<SpanData>> batch, Visitor& visitor) {
  const SpanData* first = nullptr;
  bool uniform = true;
  for (const auto& span : batch) {
    if (!span) continue;
    if (first == nullptr) {
      first = span.get();
    } else if (span->resource != first->resource || span->scope != first->scope) {
      uniform = false;
      break;
    }
  }
  if (first == nullptr) return;

  if (uniform) {
    // The usual case (one provider, one tracer per batch): no grouping work, no allocation.
    visitor.BeginResource(first->resource);
    visitor.BeginScope(first->scope);
    for (const auto& span : batch) {
      if (span) visitor.Span(*span);
    }
    visitor.EndScope();
    visitor.EndResource();
    return;
  }

  // Rank resources and (resource, scope) pairs by first appearance, then order span indices by
  // (resource rank, pair rank, index): ties broken by index keep batch order.
  std::vector<const Resource*> resources;
  std::vector<std::pair<const Resource*, const InstrumentationScope*>> pairs;
  struct Entry {
    std::uint32_t resource_rank;
    std::uint32_t pair_rank;
    std::uint32_t index;
  };
  std::vector<Entry> entries;
  entries.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const SpanData* span = batch[i].get();
    if (span == nullptr) continue;
    auto r = std::find(resources.begin(), resources.end(), span->resource);
    if (r == resources.end()) r = resources.insert(resources.end(), span->resource);
    const auto key = std::make_pair(span->resource, span->scope);
    auto p = std::find(pairs.begin(), pairs.end(), key);
    if (p == pairs.end()) p = pairs.insert(pairs.end(), key);
    entries.push_back(Entry{static_cast<std::uint32_t>(r - resources.begin()),
                            static_cast<std::uint32_t>(p - pairs.begin()),
                            static_cast<std::uint32_t>(i)});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.resource_rank != b.resource_rank) return a.resource_rank < b.resource_rank;
    if (a.pair_rank != b.pair_rank) return a.pair_rank < b.pair_rank;
    return a.index < b.index;
  });

  for (std::size_t i = 0; i < entries.size(); ++i) {
    const SpanData& span = *batch[entries[i].index];
    const bool new_resource = i == 0 || entries[i].resource_rank != entries[i - 1].resource_rank;
    const bool new_scope = new_resource || entries[i].pair_rank != entries[i - 1].pair_rank;
    if (new_resource) {
      if (i != 0) {
        visitor.EndScope();
        visitor.EndResource();
      }
      visitor.BeginResource(span.resource);
    } else if (new_scope) {
      visitor.EndScope();
    }
    if (new_scope) visitor.BeginScope(span.scope);
    visitor.Span(span);
  }
  visitor.EndScope();
  visitor.EndResource();
}

}  // namespace hotorder::telemetry::otlp
