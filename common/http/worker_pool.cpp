#include "http/worker_pool.hpp"

#include <algorithm>

namespace hotorder::http {

WorkerPool::WorkerPool(int threads, std::size_t max_queued) : max_queued_(max_queued) {
  const int count = std::max(threads, 1);
  thread_count_ = static_cast<std::size_t>(count);
  threads_.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) threads_.emplace_back([this] { Work(); });
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::TryPost(Task&& task) {
  {
    std::lock_guard lock(mutex_);
    // Tasks already queued are about to be taken by the free workers; whatever is beyond them
    // has to wait.
    if (stopped_ || queue_.size() >= max_queued_ + (thread_count_ - busy_)) return false;
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::Stop() noexcept {
  std::deque<Task> dropped;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  // A dropped task may own the last reference to a connection; destroying it here, unlocked,
  // lets that connection's destructor do what it needs.
  dropped.clear();
  std::lock_guard join_lock(join_mutex_);
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void WorkerPool::Work() noexcept {
  while (true) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopped_ || !queue_.empty(); });
      if (stopped_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    try {
      task();
    } catch (...) {
    }
    task = nullptr;  // what it holds is released before the worker counts as free
    std::lock_guard lock(mutex_);
    --busy_;
  }
}

}  // namespace hotorder::http
