// A CPU stand-in for the CUDA execution model, enough to run flash_attention.cu.
//
// Each thread of a block is a fiber (ucontext); a block's fibers run on one OS
// thread, switching only at barriers: __syncthreads() and the warp-wide
// exchanges that ldmatrix, mma and shuffles need. Blocks run one after another.
// A barrier that some threads of a warp (or block) never reach is a deadlock
// on a GPU too: it is reported, not hung on.
//
// What this checks: index arithmetic, fragment layouts, swizzles, masking and
// the cp.async pipeline (copies land as late as the PTX rules allow: at the
// cp.async.wait_group that must see them). What it cannot: timing, races
// between warps that a real barrier would hide, and the hardware's exact
// rounding inside mma (emulated with fp32 sums of exact products).

#pragma once

#include <ucontext.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <vector>

#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __restrict__ __restrict
#define __shared__
#define __align__(n) __attribute__((aligned(n)))

using std::max;
using std::min;

struct Dim3 {
  unsigned x = 1, y = 1, z = 1;
};

namespace emu {

enum class State { runnable, at_warp_barrier, at_block_barrier, done };

struct Copy {
  void* dst;
  const void* src;
  bool valid;
};

struct Fiber {
  ucontext_t context;
  std::vector<char> stack;
  Dim3 thread;
  State state = State::runnable;
  std::vector<Copy> open_group;                // cp.async issued, not yet committed
  std::vector<std::vector<Copy>> groups;       // committed, oldest first
};

// What lanes of one warp hand each other at a warp-wide operation.
struct WarpExchange {
  const void* pointer[32];
  unsigned words[32][8];
  double values[32];
};

struct Block {
  Dim3 block, grid, dim;
  std::vector<Fiber> fibers;
  std::vector<WarpExchange> exchanges;
  ucontext_t scheduler;
  int current = -1;
  bool deadlock = false;
};

// Shared-memory access statistics, summed over launches until reset.
struct Counters {
  long long ldmatrix_phases = 0;
  long long conflicted_phases = 0;
};

inline Counters& counters() {
  static Counters value;
  return value;
}

inline Block*& active_block() {
  static Block* block = nullptr;
  return block;
}

inline std::function<void()>& kernel_body() {
  static std::function<void()> body;
  return body;
}

inline Fiber& current() { return active_block()->fibers[active_block()->current]; }
inline Dim3& thread_idx() { return current().thread; }
inline Dim3& block_idx() { return active_block()->block; }
inline Dim3& grid_dim() { return active_block()->grid; }
inline Dim3& block_dim() { return active_block()->dim; }
inline int lane_id() { return static_cast<int>(current().thread.x % 32); }
inline int warp_id() { return static_cast<int>(current().thread.x / 32); }
inline WarpExchange& exchange() { return active_block()->exchanges[warp_id()]; }

inline void wait_at(State barrier) {
  Fiber& fiber = current();
  fiber.state = barrier;
  swapcontext(&fiber.context, &active_block()->scheduler);
}

inline void warp_sync() { wait_at(State::at_warp_barrier); }
inline void block_sync() { wait_at(State::at_block_barrier); }

inline void fiber_entry() {
  kernel_body()();
  current().state = State::done;  // uc_link returns to the scheduler
}

// Release barriers whose every live participant has arrived. False if none could be.
inline bool release(Block& block) {
  bool released = false;
  const int threads = static_cast<int>(block.fibers.size());
  for (int warp = 0; warp * 32 < threads; ++warp) {
    int live = 0, waiting = 0;
    for (int lane = warp * 32; lane < std::min(threads, warp * 32 + 32); ++lane) {
      State s = block.fibers[lane].state;
      live += s != State::done;
      waiting += s == State::at_warp_barrier;
    }
    if (live > 0 && waiting == live) {
      for (int lane = warp * 32; lane < std::min(threads, warp * 32 + 32); ++lane) {
        if (block.fibers[lane].state == State::at_warp_barrier) {
          block.fibers[lane].state = State::runnable;
        }
      }
      released = true;
    }
  }
  int live = 0, waiting = 0;
  for (const Fiber& fiber : block.fibers) {
    live += fiber.state != State::done;
    waiting += fiber.state == State::at_block_barrier;
  }
  if (live > 0 && waiting == live) {
    for (Fiber& fiber : block.fibers) fiber.state = State::runnable;
    released = true;
  }
  return released;
}

// Run `body` as every thread of every block of the grid. False on a deadlock.
inline bool launch(Dim3 grid, Dim3 dim, const std::function<void()>& body) {
  const int threads = static_cast<int>(dim.x);
  Block block;
  block.grid = grid;
  block.dim = dim;
  block.fibers.resize(threads);
  block.exchanges.resize((threads + 31) / 32);
  for (Fiber& fiber : block.fibers) fiber.stack.resize(256 * 1024);
  kernel_body() = body;
  active_block() = &block;
  for (unsigned y = 0; y < grid.y; ++y) {
    for (unsigned x = 0; x < grid.x; ++x) {
      block.block = Dim3{x, y, 0};
      for (int t = 0; t < threads; ++t) {
        Fiber& fiber = block.fibers[t];
        fiber.thread = Dim3{static_cast<unsigned>(t), 0, 0};
        fiber.state = State::runnable;
        fiber.open_group.clear();
        fiber.groups.clear();
        getcontext(&fiber.context);
        fiber.context.uc_stack.ss_sp = fiber.stack.data();
        fiber.context.uc_stack.ss_size = fiber.stack.size();
        fiber.context.uc_link = &block.scheduler;
        makecontext(&fiber.context, fiber_entry, 0);
      }
      for (;;) {
        bool ran = false;
        for (int t = 0; t < threads; ++t) {
          if (block.fibers[t].state != State::runnable) continue;
          block.current = t;
          swapcontext(&block.scheduler, &block.fibers[t].context);
          ran = true;
        }
        bool all_done = std::all_of(block.fibers.begin(), block.fibers.end(),
                                    [](const Fiber& f) { return f.state == State::done; });
        if (all_done) break;
        if (!release(block) && !ran) {
          std::fprintf(stderr, "emulator: deadlock in block (%u, %u): a barrier not all threads reach\n",
                       x, y);
          active_block() = nullptr;
          return false;
        }
      }
    }
  }
  active_block() = nullptr;
  return true;
}

}  // namespace emu

#define threadIdx (emu::thread_idx())
#define blockIdx (emu::block_idx())
#define gridDim (emu::grid_dim())
#define blockDim (emu::block_dim())

inline void __syncthreads() { emu::block_sync(); }

template <typename T>
inline T __shfl_xor_sync(unsigned, T value, int lane_mask) {
  emu::WarpExchange& exchange = emu::exchange();
  const int lane = emu::lane_id();
  exchange.values[lane] = static_cast<double>(value);
  emu::warp_sync();
  const T other = static_cast<T>(exchange.values[lane ^ lane_mask]);
  emu::warp_sync();
  return other;
}

inline float __int_as_float(int bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}
