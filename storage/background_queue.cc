// One background thread running queued tasks in order (background_queue.h).

#include "storage/background_queue.h"

#include <utility>

namespace kg {

void BackgroundQueue::Add(std::function<void()> task) {
  if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  {
    std::unique_lock<std::mutex> l(mu_);
    if (max_pending_ > 0)
      room_.wait(l, [&] { return tasks_.size() < max_pending_; });
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void BackgroundQueue::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    cv_.wait(l, [&] { return stop_ || !tasks_.empty(); });
    if (tasks_.empty()) return;  // stopped with nothing left
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    l.unlock();
    room_.notify_one();
    task();
    task = nullptr;  // release what it captured outside the lock
    l.lock();
  }
}

void BackgroundQueue::Stop(bool drop_pending) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (drop_pending) tasks_.clear();
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> l(mu_);
  stop_ = false;
}

void BackgroundQueue::Drain() { Stop(/*drop_pending=*/false); }
void BackgroundQueue::Cancel() { Stop(/*drop_pending=*/true); }

}  // namespace kg
