// Runs flash_attention.cu's kernels on the CPU emulator; called from Python with ctypes.
//
// Build (tests/attention/test_gpu_emulated.py does this):
//   g++ -std=c++20 -O1 -shared -fPIC -I tests/attention/emulator
//       -DSWITCHYARD_SOURCE='"<path>/flash_attention.cu"' driver.cpp -o emulated.so

#include "runtime.h"

#define SWITCHYARD_EMULATOR "emulated_ptx.h"

namespace switchyard {
// The kernel's `extern __shared__` array: one block runs at a time.
alignas(128) unsigned char shared_bytes[227 * 1024];
}  // namespace switchyard

#include SWITCHYARD_SOURCE

namespace {

template <typename T, int D, int WARPS, int ROW_TILES, int BLOCK_N>
int run_flash(const switchyard::bits16* q, const switchyard::bits16* k,
              const switchyard::bits16* v, switchyard::bits16* out, float* lse,
              const float* slopes, int bh, int n_q, int n_k, float scale, int causal) {
  constexpr int block_m = 16 * ROW_TILES * WARPS;
  const Dim3 grid{static_cast<unsigned>((n_q + block_m - 1) / block_m), static_cast<unsigned>(bh), 1};
  const Dim3 dim{32 * WARPS, 1, 1};
  const bool finished = emu::launch(grid, dim, [&] {
    switchyard::flash_forward<T, D, WARPS, ROW_TILES, BLOCK_N>(q, k, v, out, lse, slopes, n_q, n_k,
                                                                scale, causal);
  });
  return finished ? 0 : 2;
}

template <typename T, int D>
int by_shape(int warps, int row_tiles, int block_n, const switchyard::bits16* q,
             const switchyard::bits16* k, const switchyard::bits16* v, switchyard::bits16* out,
             float* lse, const float* slopes, int bh, int n_q, int n_k, float scale, int causal) {
#define SHAPE(W, R, N)                                                                          \
  if (warps == W && row_tiles == R && block_n == N)                                            \
    return run_flash<T, D, W, R, N>(q, k, v, out, lse, slopes, bh, n_q, n_k, scale, causal);
  // Every shape in kernels.TUNING_SHAPES, for either head dim.
  SHAPE(4, 1, 64)
  SHAPE(8, 1, 64)
  SHAPE(4, 2, 32)
  SHAPE(4, 2, 64)
  SHAPE(8, 2, 64)
  SHAPE(8, 2, 32)
#undef SHAPE
  return 1;  // no such variant
}

template <typename T, int PER_LANE>
int run_rows_typed(const void* q, const void* k, const void* v, const void* bias,
                   const void* slopes, void* out, void* lse, int bh, int n_q, int n_k, int d,
                   int d_v, double scale, int causal) {
  const int rows = bh * n_q;
  const Dim3 grid{static_cast<unsigned>((rows + 3) / 4), 1, 1};
  const bool finished = emu::launch(grid, Dim3{128, 1, 1}, [&] {
    switchyard::attention_rows<T, PER_LANE>(
        static_cast<const T*>(q), static_cast<const T*>(k), static_cast<const T*>(v),
        static_cast<const T*>(bias), static_cast<const T*>(slopes), static_cast<T*>(out),
        static_cast<T*>(lse), rows, n_q, n_k, d, d_v, static_cast<T>(scale), causal);
  });
  return finished ? 0 : 2;
}

}  // namespace

extern "C" {

// dtype: 0 = fp16, 1 = bf16. Returns 0 on success, 1 for an unknown variant, 2 on deadlock.
int emulate_flash(int dtype, int d, int warps, int row_tiles, int block_n, const switchyard::bits16* q,
                  const switchyard::bits16* k, const switchyard::bits16* v,
                  switchyard::bits16* out, float* lse, const float* slopes, int bh, int n_q,
                  int n_k, float scale, int causal) {
  using switchyard::Bf16;
  using switchyard::Fp16;
  if (dtype == 0 && d == 64)
    return by_shape<Fp16, 64>(warps, row_tiles, block_n, q, k, v, out, lse, slopes, bh, n_q, n_k, scale, causal);
  if (dtype == 0 && d == 128)
    return by_shape<Fp16, 128>(warps, row_tiles, block_n, q, k, v, out, lse, slopes, bh, n_q, n_k, scale, causal);
  if (dtype == 1 && d == 64)
    return by_shape<Bf16, 64>(warps, row_tiles, block_n, q, k, v, out, lse, slopes, bh, n_q, n_k, scale, causal);
  if (dtype == 1 && d == 128)
    return by_shape<Bf16, 128>(warps, row_tiles, block_n, q, k, v, out, lse, slopes, bh, n_q, n_k, scale, causal);
  return 1;
}

// dtype: 0 = float32, 1 = float64.
int emulate_rows(int dtype, int per_lane, const void* q, const void* k, const void* v,
                 const void* bias, const void* slopes, void* out, void* lse, int bh, int n_q,
                 int n_k, int d, int d_v, double scale, int causal) {
#define ROWS(T, P)                                                                              \
  if (per_lane == P)                                                                           \
    return run_rows_typed<T, P>(q, k, v, bias, slopes, out, lse, bh, n_q, n_k, d, d_v, scale,   \
                                causal);
  if (dtype == 0) {
    ROWS(float, 1) ROWS(float, 2) ROWS(float, 4) ROWS(float, 8) ROWS(float, 16)
  } else {
    ROWS(double, 1) ROWS(double, 2) ROWS(double, 4) ROWS(double, 8) ROWS(double, 16)
  }
#undef ROWS
  return 1;
}

// ldmatrix phases since the last call, and how many had a bank conflict; resets both.
void emulator_bank_conflicts(long long* phases, long long* conflicted) {
  *phases = emu::counters().ldmatrix_phases;
  *conflicted = emu::counters().conflicted_phases;
  emu::counters() = emu::Counters{};
}

}  // extern "C"
