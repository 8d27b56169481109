#pragma once
// Free loopback ports for processes a test starts (the Collector, Jaeger) that cannot be told to
// bind port 0 and report back. The kernel picks the port; the small window between closing the
// probe socket and the child binding it is acceptable for tests on one machine.

#include <cstdint>

namespace hotorder::test {

std::uint16_t FreeLoopbackPort();

}  // namespace hotorder::test
