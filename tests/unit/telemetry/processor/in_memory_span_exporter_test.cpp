#include "telemetry/processor/in_memory_span_exporter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "recording_exporter.hpp"
#include "telemetry/processor/batch_span_processor.hpp"

namespace hotorder::telemetry {
namespace {

using namespace std::chrono_literals;
using testing::MakeSpan;
using Clock = std::chrono::steady_clock;

std::vector<std::unique_ptr<SpanData>> Batch(std::initializer_list<const char*> names) {
  std::vector<std::unique_ptr<SpanData>> batch;
  for (const char* name : names) batch.push_back(MakeSpan(name));
  return batch;
}

TEST(InMemorySpanExporter, StoresCopiesOfExportedSpans) {
  InMemorySpanExporter exporter;
  auto batch = Batch({"a", "b"});
  batch[0]->attributes.push_back({"k", AttributeValue("v")});
  ASSERT_EQ(exporter.Export(batch), ExportResult::kSuccess);
  batch[0]->name = "changed after export";

  const auto spans = exporter.store()->GetSpans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].name, "a");
  EXPECT_EQ(spans[1].name, "b");
  ASSERT_EQ(spans[0].attributes.size(), 1u);
  EXPECT_EQ(spans[0].attributes[0].key, "k");
  EXPECT_EQ(exporter.store()->BatchSizes(), (std::vector<std::size_t>{2}));
}

TEST(InMemorySpanExporter, StoreOutlivesTheExporterAndItsProcessor) {
  auto exporter = std::make_unique<InMemorySpanExporter>();
  std::shared_ptr<InMemorySpanStore> store = exporter->store();
  {
    BatchSpanProcessor processor(std::move(exporter), {});
    processor.OnEnd(MakeSpan("kept"));
  }
  const auto spans = store->GetSpans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "kept");
}

TEST(InMemorySpanExporter, ClearEmptiesTheStore) {
  InMemorySpanExporter exporter;
  auto batch = Batch({"a"});
  ASSERT_EQ(exporter.Export(batch), ExportResult::kSuccess);
  exporter.store()->Clear();
  EXPECT_EQ(exporter.store()->SpanCount(), 0u);
  EXPECT_TRUE(exporter.store()->BatchSizes().empty());
}

TEST(InMemorySpanExporter, WaitForSpansTimesOutWhenTooFewArrive) {
  InMemorySpanExporter exporter;
  auto batch = Batch({"a"});
  ASSERT_EQ(exporter.Export(batch), ExportResult::kSuccess);
  EXPECT_TRUE(exporter.store()->WaitForSpans(1, Clock::now()));
  EXPECT_FALSE(exporter.store()->WaitForSpans(2, Clock::now() + 20ms));
}

TEST(InMemorySpanExporter, WaitForSpansWakesWhenAnotherThreadExports) {
  InMemorySpanExporter exporter;
  std::thread exporting([&] {
    for (int i = 0; i < 3; ++i) {
      auto batch = Batch({"x"});
      exporter.Export(batch);
    }
  });
  EXPECT_TRUE(exporter.store()->WaitForSpans(3, Clock::now() + 10s));
  exporting.join();
  EXPECT_EQ(exporter.store()->SpanCount(), 3u);
}

TEST(InMemorySpanExporter, ExportFailsAfterShutdown) {
  InMemorySpanExporter exporter;
  EXPECT_TRUE(exporter.ForceFlush(1s));
  EXPECT_TRUE(exporter.Shutdown(1s));
  auto batch = Batch({"late"});
  EXPECT_EQ(exporter.Export(batch), ExportResult::kFailure);
  EXPECT_EQ(exporter.store()->SpanCount(), 0u);
}

}  // namespace
}  // namespace hotorder::telemetry
