// A queue of tasks run one after another on one background thread.
//
// The bulk loader's parser runs on the caller's thread; this is where the
// work that can overlap it goes (encoding terms, sorting full chunks of
// quads, writing the dictionary's id order), so the machine's second core
// is busy during the parse instead of idle.
//
// Thread-safety: Add, Drain and Cancel are called by one thread at a time
// (the owner); a change of owner must be ordered, e.g. by joining the
// previous owner (the loader's encoder adds to the sorters' queues; the
// caller drains the encoder before it touches them). Tasks run in the
// order added, on the queue's thread, never two at once; they must not
// call back into their own queue.

#ifndef KGSTORE_STORAGE_BACKGROUND_QUEUE_H_
#define KGSTORE_STORAGE_BACKGROUND_QUEUE_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace kg {

class BackgroundQueue {
 public:
  // At most `max_pending` tasks wait at a time: Add blocks while that many
  // do (0: no limit). Bounds the memory of work handed over faster than
  // the thread runs it.
  explicit BackgroundQueue(size_t max_pending = 0)
      : max_pending_(max_pending) {}
  BackgroundQueue(const BackgroundQueue&) = delete;
  BackgroundQueue& operator=(const BackgroundQueue&) = delete;
  // Cancels.
  ~BackgroundQueue() { Cancel(); }

  // Queues `task`; starts the thread on first use. Returns at once, unless
  // max_pending tasks are waiting: then when one has started.
  void Add(std::function<void()> task);
  // Waits until every queued task has run, then stops the thread. What the
  // tasks wrote is visible to the caller afterwards. The queue can be used
  // again.
  void Drain();
  // Drops the tasks not yet started, waits for the running one, and stops
  // the thread.
  void Cancel();

 private:
  void Loop();
  void Stop(bool drop_pending);

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable room_;  // a task was taken: Add may go on
  const size_t max_pending_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stop_ = false;                        // guarded by mu_
  std::thread thread_;
};

}  // namespace kg

#endif  // KGSTORE_STORAGE_BACKGROUND_QUEUE_H_
