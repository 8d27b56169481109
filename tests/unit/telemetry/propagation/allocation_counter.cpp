// Replaces the global operator new/delete of this test executable to count heap allocations, so
// a test can show that traceparent parsing allocates nothing. Kept in its own file: with the
// replacements inlined into callers, gcc's -Wmismatched-new-delete misfires. The other forms of
// operator new/delete forward to these by default.

#include <atomic>
#include <cstdlib>
#include <new>

namespace hotorder::test {

std::atomic<long> g_allocations{0};

long AllocationCount() noexcept { return g_allocations.load(std::memory_order_relaxed); }

}  // namespace hotorder::test

void* operator new(std::size_t size) {
  hotorder::test::g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
