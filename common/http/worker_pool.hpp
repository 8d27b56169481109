#pragma once
// The threads handlers run on, so a handler that blocks (database, upstream call) never holds an
// I/O thread. The queue is bounded: a server that cannot keep up answers 503 at once rather than
// letting requests wait until their clients have long given up.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hotorder::http {

class WorkerPool {
 public:
  using Task = std::function<void()>;

  // Starts `threads` threads (at least one).
  WorkerPool(int threads, std::size_t max_queued);
  ~WorkerPool();  // Stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (and `task` untouched) when it would have to wait behind max_queued
  // others for a worker (idle workers take tasks at once, so they do not count as waiting), or
  // when the pool is stopped. A task must not throw; if it does, the exception is swallowed.
  bool TryPost(Task&& task);

  // Stops taking tasks, drops the ones still waiting (destroying them outside the lock), and
  // waits for the running ones to return. Idempotent; never call it from a task.
  void Stop() noexcept;

 private:
  void Work() noexcept;

  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> queue_;
  std::size_t thread_count_ = 0;
  std::size_t busy_ = 0;  // workers running a task; the others take queued tasks at once
  bool stopped_ = false;
  std::mutex join_mutex_;  // Stop may race with the destructor's Stop; joining is done once
  std::vector<std::thread> threads_;
};

}  // namespace hotorder::http
