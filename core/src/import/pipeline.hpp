// Internal: the classification pipeline shared by imports and reclassification.
//
// An import has three stages: reading and parsing the file, folding and classifying each
// description (the costly one), and writing rows into SQLite. SQLite writes on one
// connection are serial, so the writer stays on the calling thread (it owns the transaction);
// folding and classifying run on worker threads, each with its own clone of the chain; an
// import's reading runs on a thread of its own. A chain that cannot be cloned classifies on
// one worker thread, still overlapping reading and writing. Work moves in chunks of a few
// hundred records through one bounded queue, so memory stays flat whatever the batch size,
// and chunks come back to the writer in the order they were read: labels, row ids and error
// messages are the same as with one thread.
//
// Errors: whatever a stage throws (a baro::Error from the reader, RE2 running out of memory,
// a SQLite failure in the writer) stops the other stages and is rethrown on the calling
// thread, so the caller's transaction rolls back exactly as without threads. Reading and
// classifying errors come out in input order: the one reported is the one a single thread
// would have met first.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "baro/classifier.hpp"

namespace baro {

struct PipelineOptions {
  // Threads that classify; 0 means one per core. 1 runs everything on the calling thread.
  // With N >= 2, N worker threads classify while the calling thread writes (plus, for an
  // import, a reading thread): classifying is the costly stage, and the writer and reader
  // spend part of their time waiting, so they share the cores with the workers.
  unsigned threads = 0;
  // Records per chunk: large enough that handing a chunk over costs nothing next to
  // classifying it, small enough that the queue holds little.
  std::size_t chunk_records = 256;
  // Chunks in flight per classifying thread (queued, being classified or waiting for the
  // writer); with the chunk size this bounds the pipeline's memory.
  std::size_t chunks_per_thread = 4;
};

// The number of threads PipelineOptions::threads = 0 stands for.
unsigned default_pipeline_threads();

// `Item` is the caller's record; its `text` member (std::string) is classified unless
// empty. `results[i]` is the classification of `items[i]`.
template <typename Item>
struct PipelineChunk {
  std::vector<Item> items;
  std::vector<ClassifierChain::Result> results;
};

// Feeds chunks from `produce` through classification to `consume`, in order.
//   produce(chunk) fills chunk.items and returns false when there is nothing more (an empty
//   chunk is then ignored); with `producer_thread` it runs on a thread of its own and must
//   touch nothing that `consume` touches; otherwise it runs on the calling thread,
//   interleaved with `consume` (for a producer that reads the caller's database).
//   consume(chunk) runs on the calling thread.
// An exception thrown by any stage stops all of them and is rethrown here: of those from
// `produce` and from classifying, the one about the earliest records; consume's at once.
// `chain` is used by one thread at a time (the calling thread or one worker); other workers
// use clones of it.
template <typename Item>
void run_pipeline(ClassifierChain& chain, const PipelineOptions& options, bool producer_thread,
                  const std::function<bool(PipelineChunk<Item>&)>& produce,
                  const std::function<void(PipelineChunk<Item>&)>& consume);

// ---------------------------------------------------------------------------------------
// Implementation.

namespace pipeline_detail {

template <typename Item>
void classify_chunk(ClassifierChain& chain, PipelineChunk<Item>& chunk) {
  chunk.results.resize(chunk.items.size());
  for (std::size_t i = 0; i < chunk.items.size(); ++i) {
    if (chunk.items[i].text.empty()) {
      chunk.results[i].output.clear();
      chunk.results[i].by = nullptr;
      chunk.results[i].vetoed.clear();
      continue;
    }
    chain.classify(chunk.items[i].text, chunk.results[i]);
  }
}

// Chunks in the order they were produced; workers classify them in any order, the consumer
// takes them from the front once done. A std::deque keeps references to its elements valid
// when elements are added or removed at either end, so a worker can classify a slot
// without holding the lock.
//
// Errors come out in input order, as with one thread: a worker's error stays with its chunk
// and is rethrown when the consumer reaches that chunk; the producer's comes after every
// chunk it produced. So the batch fails on the first bad record or text, whatever the
// threads were doing at the time.
template <typename Item>
class OrderedQueue {
 public:
  explicit OrderedQueue(std::size_t capacity) : capacity_(capacity) {}

  // Producer side: blocks while the queue is full; false if the pipeline has stopped.
  bool push(PipelineChunk<Item>&& chunk) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return stopped_ || slots_.size() < capacity_; });
    if (stopped_) return false;
    slots_.push_back(Slot{std::move(chunk), false, false, nullptr});
    work_.notify_one();
    return true;
  }
  bool full() const {
    std::lock_guard lock(mutex_);
    return slots_.size() >= capacity_;
  }
  // No more chunks; `error`, when set, is what stopped the producer, rethrown after them.
  void close(std::exception_ptr error = nullptr) {
    std::lock_guard lock(mutex_);
    closed_ = true;
    producer_error_ = error;
    done_.notify_all();
  }
  // Stops every stage (the consumer failed, or is gone).
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    work_.notify_all();
    space_.notify_all();
    done_.notify_all();
  }

  // Consumer side: the next chunk in order, classified; false once closed and drained.
  // Rethrows the error of that chunk, or the producer's once every chunk is out.
  bool pop(PipelineChunk<Item>& out) {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return stopped_ || (!slots_.empty() && slots_.front().done) || (closed_ && slots_.empty()); });
    if (stopped_) return false;
    if (slots_.empty()) {
      if (producer_error_) std::rethrow_exception(producer_error_);
      return false;
    }
    if (slots_.front().error) {
      const std::exception_ptr error = slots_.front().error;
      lock.unlock();
      stop();
      std::rethrow_exception(error);
    }
    out = std::move(slots_.front().chunk);
    slots_.pop_front();
    space_.notify_one();
    return true;
  }

  // Worker side: classifies chunks with `chain` until the pipeline stops.
  void work(ClassifierChain& chain) {
    std::unique_lock lock(mutex_);
    for (;;) {
      typename std::deque<Slot>::iterator slot;
      work_.wait(lock, [&] {
        if (stopped_) return true;
        slot = std::find_if(slots_.begin(), slots_.end(), [](const Slot& s) { return !s.taken; });
        return slot != slots_.end();
      });
      if (stopped_) return;
      slot->taken = true;
      Slot& taken = *slot;
      lock.unlock();
      std::exception_ptr error;
      try {
        classify_chunk(chain, taken.chunk);
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      taken.error = error;
      taken.done = true;
      if (&taken == &slots_.front()) done_.notify_all();
    }
  }

 private:
  struct Slot {
    PipelineChunk<Item> chunk;
    bool taken = false;
    bool done = false;
    std::exception_ptr error;  // what classifying this chunk threw
  };
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable work_, space_, done_;
  std::deque<Slot> slots_;
  bool closed_ = false;
  bool stopped_ = false;
  std::exception_ptr producer_error_;
};

// Joins its threads whatever happens, after stopping the queue.
template <typename Item>
class ThreadGroup {
 public:
  explicit ThreadGroup(OrderedQueue<Item>& queue) : queue_(queue) {}
  ~ThreadGroup() {
    queue_.stop();
    for (auto& t : threads_) t.join();
  }
  template <typename F>
  void spawn(F&& f) {
    threads_.emplace_back(std::forward<F>(f));
  }

 private:
  OrderedQueue<Item>& queue_;
  std::vector<std::thread> threads_;
};

}  // namespace pipeline_detail

template <typename Item>
void run_pipeline(ClassifierChain& chain, const PipelineOptions& options, bool producer_thread,
                  const std::function<bool(PipelineChunk<Item>&)>& produce,
                  const std::function<void(PipelineChunk<Item>&)>& consume) {
  const unsigned threads = options.threads == 0 ? default_pipeline_threads() : options.threads;
  const std::size_t chunk_records = std::max<std::size_t>(1, options.chunk_records);
  const auto fill = [&](PipelineChunk<Item>& chunk) {
    chunk.items.clear();
    chunk.items.reserve(chunk_records);
    return produce(chunk);
  };
  if (threads <= 1) {
    PipelineChunk<Item> chunk;
    for (bool more = true; more;) {
      more = fill(chunk);
      if (chunk.items.empty()) continue;
      pipeline_detail::classify_chunk(chain, chunk);
      consume(chunk);
    }
    return;
  }
  // The first worker classifies with `chain` itself, the others with clones of it.
  std::vector<std::unique_ptr<ClassifierChain>> clones;
  for (unsigned w = 1; w < threads; ++w) {
    auto clone = chain.clone();
    if (clone == nullptr) break;
    clones.push_back(std::move(clone));
  }
  const std::size_t workers = 1 + clones.size();
  pipeline_detail::OrderedQueue<Item> queue(std::max<std::size_t>(2, workers * options.chunks_per_thread));
  {
    pipeline_detail::ThreadGroup<Item> group(queue);
    group.spawn([&queue, &chain] { queue.work(chain); });
    for (auto& clone : clones) group.spawn([&queue, c = clone.get()] { queue.work(*c); });
    if (producer_thread) {
      group.spawn([&] {
        try {
          for (bool more = true; more;) {
            PipelineChunk<Item> chunk;
            more = fill(chunk);
            if (!chunk.items.empty() && !queue.push(std::move(chunk))) return;
          }
          queue.close();
        } catch (...) {
          queue.close(std::current_exception());
        }
      });
      PipelineChunk<Item> chunk;
      while (queue.pop(chunk)) consume(chunk);
    } else {
      bool more = true;
      PipelineChunk<Item> chunk;
      for (;;) {
        if (more) {
          try {
            while (more && !queue.full()) {
              PipelineChunk<Item> next;
              more = fill(next);
              if (!next.items.empty()) queue.push(std::move(next));
            }
            if (!more) queue.close();
          } catch (...) {
            more = false;
            queue.close(std::current_exception());  // rethrown by pop() once the chunks before it are out
          }
        }
        if (!queue.pop(chunk)) break;
        consume(chunk);
      }
    }
  }  // the group stops the queue and joins every thread, also when consume threw
}

}  // namespace baro
