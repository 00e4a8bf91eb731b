// Switchyard's GPU attention: FlashAttention-2's forward pass for CuPy (NVRTC).
//
//   out = softmax(q·kᵀ·scale − slope·(i + n_k − n_q − j), causal) · v
//   lse = log Σ_j exp(score_ij)                  (−inf where a row sees no key)
//
// Dao 2023, "FlashAttention-2" (arXiv:2307.08691), Algorithm 1: the grid runs
// over (query block, batch·head); each block keeps its query tile in registers
// and streams key/value tiles through shared memory, with the running row
// maximum m and row sum l in registers, the output rescaled by exp(m_old − m_new)
// per key block and divided by l once at the end.
//
// Two kernels live here:
//   flash_forward<T, D, WARPS, ROW_TILES, BLOCK_N>   fp16/bf16 (T = Fp16 or Bf16) on
//       tensor cores (sm_80+):
//       mma.sync m16n8k16 with fp32 accumulators, ldmatrix, cp.async double
//       buffering, written as inline PTX because NVRTC cannot take mma.h
//       reliably (cupy issues 8146, 3292). D is the head dim (64 or 128; the
//       caller pads others up to one of these).
//   attention_rows<T, PER_LANE>            fp32/fp64, any d and d_v, a dense
//       additive bias (masks arrive as −inf): one warp per query row. This is
//       the path for the game's small boards, where tiles would be mostly empty.
//
// Conventions shared with the NumPy backends (game/attention/functional.py):
// causal is aligned bottom-right (query i sees keys j <= i + n_k − n_q), a row
// with no visible key gives zeros, and ALiBi is −slope·(distance) in logits.
// Everything is computed in base 2 inside the tensor-core kernel (scores are
// pre-multiplied by log2 e) so that exp becomes one ex2.approx instruction.

// No #include: NVRTC finds no CUDA headers on some CuPy installs (pip wheels
// without the toolkit), so the 16-bit types are plain bit patterns here and
// every conversion is one PTX instruction.
#ifndef INFINITY  // NVRTC has no <math.h>; nvcc does
#define INFINITY __int_as_float(0x7f800000)
#endif

namespace switchyard {

// The two 16-bit element types, as tags: data travels as unsigned short bits.
struct Fp16 {};
struct Bf16 {};
typedef unsigned short bits16;

constexpr float kLog2e = 1.4426950408889634f;
constexpr float kLn2 = 0.6931471805599453f;

// ---------------------------------------------------------------------------
// PTX wrappers
// ---------------------------------------------------------------------------

// The CPU emulator in tests/attention/emulator replaces these wrappers (and only
// these) with warp-collective C++ of the same semantics, to test the kernels'
// fragment layouts and pipeline without a GPU.
#ifdef SWITCHYARD_EMULATOR
#include SWITCHYARD_EMULATOR
#else

__device__ __forceinline__ unsigned shared_address(const void* pointer) {
  return static_cast<unsigned>(__cvta_generic_to_shared(pointer));
}

// 16-byte global→shared copy that bypasses L1; when !valid it writes zeros
// (src-size 0), which is how ragged rows past n are padded.
__device__ __forceinline__ void cp_async_16(void* dst, const void* src, bool valid) {
  const int src_bytes = valid ? 16 : 0;
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(shared_address(dst)),
               "l"(src), "r"(src_bytes));
}

__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }

template <int PENDING>
__device__ __forceinline__ void cp_async_wait() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(PENDING));
}

// Four 8×8 b16 matrices; lane l gives the row address of matrix l / 8.
__device__ __forceinline__ void ldmatrix_x4(unsigned (&r)[4], const void* row) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(shared_address(row)));
}

__device__ __forceinline__ void ldmatrix_x4_trans(unsigned (&r)[4], const void* row) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(shared_address(row)));
}

// c (16×8, fp32) += a (16×16, row-major) · b (16×8, column-major), and `pack`:
// two floats rounded to one 32-bit register of two 16-bit values (lo in the low half).
template <typename T>
struct Mma;

template <>
struct Mma<Fp16> {
  static __device__ __forceinline__ void run(float (&c)[4], const unsigned (&a)[4], unsigned b0,
                                             unsigned b1) {
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
        "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
  }
  static __device__ __forceinline__ unsigned pack(float lo, float hi) {
    unsigned packed;
    asm("cvt.rn.f16x2.f32 %0, %1, %2;\n" : "=r"(packed) : "f"(hi), "f"(lo));
    return packed;
  }
};

template <>
struct Mma<Bf16> {
  static __device__ __forceinline__ void run(float (&c)[4], const unsigned (&a)[4], unsigned b0,
                                             unsigned b1) {
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
        "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
  }
  static __device__ __forceinline__ unsigned pack(float lo, float hi) {
    unsigned packed;
    asm("cvt.rn.bf16x2.f32 %0, %1, %2;\n" : "=r"(packed) : "f"(hi), "f"(lo));
    return packed;
  }
};

__device__ __forceinline__ float fast_exp2(float x) {
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;\n" : "=f"(y) : "f"(x));
  return y;
}

#endif  // SWITCHYARD_EMULATOR

// Max and sum over the four lanes of a quad, which share one row of a fragment.
__device__ __forceinline__ float quad_max(float x) {
  x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 1));
  return fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 2));
}

__device__ __forceinline__ float quad_sum(float x) {
  x += __shfl_xor_sync(0xffffffffu, x, 1);
  return x + __shfl_xor_sync(0xffffffffu, x, 2);
}

// Element offset of 16-byte chunk `chunk` of row `row` in a shared tile with D
// columns. The chunk index is XOR-swizzled with the row so that the eight rows
// one ldmatrix reads fall in eight different bank groups (rows are 128 or 256
// bytes, so unswizzled they would all start in bank 0).
template <int D>
__device__ __forceinline__ int swizzle(int row, int chunk) {
  return row * D + ((chunk ^ (row & 7)) << 3);
}

// ---------------------------------------------------------------------------
// Tensor-core kernel: fp16 / bf16 in, fp32 accumulate
// ---------------------------------------------------------------------------
//
// Block: WARPS warps, each owning ROW_TILES tiles of 16 query rows, so
// BLOCK_M = 16·ROW_TILES·WARPS. Each K or V fragment a warp loads from shared
// memory feeds ROW_TILES mma instructions: with two row tiles, half the
// shared-memory reads per FLOP of one (FlashAttention-2 gives each warp 32 rows).
// Shared memory (dynamic): Q tile, then two stages of K and two of V:
//   (BLOCK_M + 4·BLOCK_N) · D · 2 bytes.
// Fragment layout of mma m16n8k16 (g = lane / 4, t = lane % 4):
//   accumulator c[0..1] → row g, cols 2t, 2t+1; c[2..3] → row g+8, same cols.
// A score tile's accumulators are already the A operand of the P·V product
// (two adjacent 8-key n-tiles make one 16-key k-step), so P never leaves
// registers. With one row tile, Q's fragments stay in registers for the whole
// kernel; with more, they are re-read from shared memory (registers run out).

template <typename T, int D, int WARPS, int ROW_TILES, int BLOCK_N>
__global__ void __launch_bounds__(WARPS * 32)
    flash_forward(const bits16* __restrict__ q,  // (bh, n_q, D)
                  const bits16* __restrict__ k,  // (bh, n_k, D)
                  const bits16* __restrict__ v,  // (bh, n_k, D)
                  bits16* __restrict__ out,      // (bh, n_q, D)
                  float* __restrict__ lse,       // (bh, n_q)
                  const float* __restrict__ slopes,  // (bh,) ALiBi slopes, or null
                  int n_q, int n_k, float scale, int causal) {
  static_assert(D % 32 == 0 && D <= 256, "head dim must be a multiple of 32, at most 256");
  static_assert(BLOCK_N % 16 == 0, "key block must be a multiple of 16");
  constexpr int WARP_ROWS = 16 * ROW_TILES;
  constexpr int BLOCK_M = WARP_ROWS * WARPS;
  constexpr int THREADS = 32 * WARPS;
  constexpr int CHUNKS = D / 8;         // 16-byte chunks per row
  constexpr int K_STEPS = D / 16;       // mma k-steps over the head dim (S = Q·Kᵀ)
  constexpr int N_TILES = BLOCK_N / 8;  // 8-key accumulator tiles per score row
  constexpr int D_TILES = D / 8;        // 8-column accumulator tiles per output row
  constexpr bool Q_IN_REGISTERS = ROW_TILES == 1;

  extern __shared__ __align__(128) unsigned char shared_bytes[];
  bits16* q_tile = reinterpret_cast<bits16*>(shared_bytes);  // (BLOCK_M, D)
  bits16* k_tiles = q_tile + BLOCK_M * D;                     // 2 × (BLOCK_N, D)
  bits16* v_tiles = k_tiles + 2 * BLOCK_N * D;                // 2 × (BLOCK_N, D)

  const int warp = threadIdx.x / 32;
  const int lane = threadIdx.x % 32;
  const int g = lane >> 2;
  const int t = lane & 3;
  const int bh = blockIdx.y;
  // Query blocks in reverse: under causal masking the last blocks see the most keys,
  // so they start first and the short ones fill the tail of the launch.
  const int m0 = (gridDim.x - 1 - blockIdx.x) * BLOCK_M;
  const int offset = n_k - n_q;  // bottom-right alignment of queries against keys
  const int warp_row0 = warp * WARP_ROWS;  // this warp's first row within the block

  const bits16* q_head = q + static_cast<size_t>(bh) * n_q * D;
  const bits16* k_head = k + static_cast<size_t>(bh) * n_k * D;
  const bits16* v_head = v + static_cast<size_t>(bh) * n_k * D;

  // Causal: the last key any row of this block may see is m0 + BLOCK_M − 1 + offset.
  const int key_end = causal ? min(n_k, m0 + BLOCK_M + offset) : n_k;
  const int key_blocks = key_end > 0 ? (key_end + BLOCK_N - 1) / BLOCK_N : 0;

  for (int index = threadIdx.x; index < BLOCK_M * CHUNKS; index += THREADS) {
    const int row = index / CHUNKS;
    const int chunk = index % CHUNKS;
    const bool valid = m0 + row < n_q;
    const bits16* src = q_head + static_cast<size_t>(valid ? m0 + row : 0) * D + chunk * 8;
    cp_async_16(q_tile + swizzle<D>(row, chunk), src, valid);
  }
  cp_async_commit();

  auto load_kv = [&](int block, int stage) {
    bits16* k_dst = k_tiles + stage * BLOCK_N * D;
    bits16* v_dst = v_tiles + stage * BLOCK_N * D;
    const int n0 = block * BLOCK_N;
    for (int index = threadIdx.x; index < BLOCK_N * CHUNKS; index += THREADS) {
      const int row = index / CHUNKS;
      const int chunk = index % CHUNKS;
      const bool valid = n0 + row < n_k;
      const size_t src_row = static_cast<size_t>(valid ? n0 + row : 0) * D + chunk * 8;
      cp_async_16(k_dst + swizzle<D>(row, chunk), k_head + src_row, valid);
      cp_async_16(v_dst + swizzle<D>(row, chunk), v_head + src_row, valid);
    }
  };
  if (key_blocks > 0) load_kv(0, 0);
  cp_async_commit();

  cp_async_wait<1>();  // the Q group has landed (K/V block 0 may still be in flight)
  __syncthreads();
  // A operand of row tile mt, k-step ks, from the Q tile in shared memory.
  auto load_q = [&](unsigned (&a)[4], int mt, int ks) {
    ldmatrix_x4(a, q_tile + swizzle<D>(warp_row0 + mt * 16 + (lane & 15), ks * 2 + (lane >> 4)));
  };
  unsigned q_frag[Q_IN_REGISTERS ? K_STEPS : 1][4];  // one row tile's Q, kept for the kernel
  if constexpr (Q_IN_REGISTERS) {
#pragma unroll
    for (int ks = 0; ks < K_STEPS; ++ks) load_q(q_frag[ks], 0, ks);
  }

  float acc[ROW_TILES][D_TILES][4];  // unnormalised output, rows g and g+8 of each row tile
#pragma unroll
  for (int mt = 0; mt < ROW_TILES; ++mt) {
#pragma unroll
    for (int dt = 0; dt < D_TILES; ++dt) {
      acc[mt][dt][0] = acc[mt][dt][1] = acc[mt][dt][2] = acc[mt][dt][3] = 0.f;
    }
  }
  float row_max[ROW_TILES][2];  // running m (base 2), rows g and g+8 of each row tile
  float row_sum[ROW_TILES][2];  // this lane's share of l; the quad sums it at the end
#pragma unroll
  for (int mt = 0; mt < ROW_TILES; ++mt) {
    row_max[mt][0] = row_max[mt][1] = -INFINITY;
    row_sum[mt][0] = row_sum[mt][1] = 0.f;
  }

  const float scale_log2 = scale * kLog2e;
  const float slope_log2 = slopes != nullptr ? slopes[bh] * kLog2e : 0.f;
  const int row_g = m0 + warp_row0 + g;  // query index of row g of row tile 0

  for (int block = 0; block < key_blocks; ++block) {
    const int stage = block & 1;
    if (block + 1 < key_blocks) load_kv(block + 1, stage ^ 1);
    cp_async_commit();
    cp_async_wait<1>();  // block's K/V have landed; block + 1's stay in flight
    __syncthreads();
    const bits16* k_tile = k_tiles + stage * BLOCK_N * D;
    const bits16* v_tile = v_tiles + stage * BLOCK_N * D;
    const int n0 = block * BLOCK_N;

    // S = Q·Kᵀ: rows g and g+8 of each row tile × this lane's 2·N_TILES keys.
    float s[ROW_TILES][N_TILES][4];
#pragma unroll
    for (int mt = 0; mt < ROW_TILES; ++mt) {
#pragma unroll
      for (int nt = 0; nt < N_TILES; ++nt) {
        s[mt][nt][0] = s[mt][nt][1] = s[mt][nt][2] = s[mt][nt][3] = 0.f;
      }
    }
#pragma unroll
    for (int ks = 0; ks < K_STEPS; ++ks) {
      unsigned a[ROW_TILES][4];
#pragma unroll
      for (int mt = 0; mt < ROW_TILES; ++mt) {
        if constexpr (Q_IN_REGISTERS) {
#pragma unroll
          for (int i = 0; i < 4; ++i) a[mt][i] = q_frag[ks][i];
        } else {
          load_q(a[mt], mt, ks);
        }
      }
#pragma unroll
      for (int nt = 0; nt < N_TILES; nt += 2) {  // one ldmatrix.x4 feeds two key tiles
        unsigned b[4];
        ldmatrix_x4(b, k_tile + swizzle<D>(nt * 8 + (lane & 7) + ((lane >> 4) << 3),
                                           ks * 2 + ((lane >> 3) & 1)));
#pragma unroll
        for (int mt = 0; mt < ROW_TILES; ++mt) {
          Mma<T>::run(s[mt][nt], a[mt], b[0], b[1]);
          Mma<T>::run(s[mt][nt + 1], a[mt], b[2], b[3]);
        }
      }
    }

    // Scale into base 2, add ALiBi, mask what this tile must not see.
    const bool ragged = n0 + BLOCK_N > n_k;
    const bool crosses_diagonal = causal && n0 + BLOCK_N - 1 > m0 + offset;
#pragma unroll
    for (int mt = 0; mt < ROW_TILES; ++mt) {
      float tile_max[2] = {-INFINITY, -INFINITY};
#pragma unroll
      for (int nt = 0; nt < N_TILES; ++nt) {
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const int row = row_g + mt * 16 + (e >> 1) * 8;
          const int col = n0 + nt * 8 + 2 * t + (e & 1);
          float x = s[mt][nt][e] * scale_log2;
          if (slopes != nullptr) x -= slope_log2 * static_cast<float>(row + offset - col);
          if ((ragged && col >= n_k) || (crosses_diagonal && col > row + offset)) x = -INFINITY;
          s[mt][nt][e] = x;
          tile_max[e >> 1] = fmaxf(tile_max[e >> 1], x);
        }
      }

      float base[2];  // what exp subtracts: the new running max, or 0 while a row sees nothing
#pragma unroll
      for (int r = 0; r < 2; ++r) {
        const float m_new = fmaxf(row_max[mt][r], quad_max(tile_max[r]));
        base[r] = m_new == -INFINITY ? 0.f : m_new;
        const float rescale = fast_exp2(row_max[mt][r] - base[r]);  // 0 when m was −inf
        row_max[mt][r] = m_new;
        row_sum[mt][r] *= rescale;
#pragma unroll
        for (int dt = 0; dt < D_TILES; ++dt) {
          acc[mt][dt][2 * r] *= rescale;
          acc[mt][dt][2 * r + 1] *= rescale;
        }
      }

#pragma unroll
      for (int nt = 0; nt < N_TILES; ++nt) {
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const float p = fast_exp2(s[mt][nt][e] - base[e >> 1]);
          s[mt][nt][e] = p;
          row_sum[mt][e >> 1] += p;
        }
      }
    }

    // acc += P · V, with P straight from the score registers.
#pragma unroll
    for (int ks = 0; ks < BLOCK_N / 16; ++ks) {
      unsigned p_frag[ROW_TILES][4];
#pragma unroll
      for (int mt = 0; mt < ROW_TILES; ++mt) {
        p_frag[mt][0] = Mma<T>::pack(s[mt][2 * ks][0], s[mt][2 * ks][1]);
        p_frag[mt][1] = Mma<T>::pack(s[mt][2 * ks][2], s[mt][2 * ks][3]);
        p_frag[mt][2] = Mma<T>::pack(s[mt][2 * ks + 1][0], s[mt][2 * ks + 1][1]);
        p_frag[mt][3] = Mma<T>::pack(s[mt][2 * ks + 1][2], s[mt][2 * ks + 1][3]);
      }
#pragma unroll
      for (int dt = 0; dt < D_TILES; dt += 2) {  // one ldmatrix.x4.trans feeds two d-tiles
        unsigned b[4];
        ldmatrix_x4_trans(b, v_tile + swizzle<D>(ks * 16 + (lane & 15), dt + (lane >> 4)));
#pragma unroll
        for (int mt = 0; mt < ROW_TILES; ++mt) {
          Mma<T>::run(acc[mt][dt], p_frag[mt], b[0], b[1]);
          Mma<T>::run(acc[mt][dt + 1], p_frag[mt], b[2], b[3]);
        }
      }
    }
    __syncthreads();  // the next iteration's load reuses this stage
  }

#pragma unroll
  for (int mt = 0; mt < ROW_TILES; ++mt) {
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      const int row = row_g + mt * 16 + 8 * r;
      const float l = quad_sum(row_sum[mt][r]);
      if (row >= n_q) continue;
      const float inverse = l > 0.f ? 1.f / l : 0.f;
      bits16* out_row = out + (static_cast<size_t>(bh) * n_q + row) * D;
#pragma unroll
      for (int dt = 0; dt < D_TILES; ++dt) {
        const unsigned packed =
            Mma<T>::pack(acc[mt][dt][2 * r] * inverse, acc[mt][dt][2 * r + 1] * inverse);
        *reinterpret_cast<unsigned*>(out_row + dt * 8 + 2 * t) = packed;
      }
      if (t == 0) {
        lse[static_cast<size_t>(bh) * n_q + row] =
            l > 0.f ? row_max[mt][r] * kLn2 + logf(l) : -INFINITY;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Row kernel: fp32 / fp64, any head dims, dense bias
// ---------------------------------------------------------------------------
//
// One warp per (batch·head, query row). Lanes split the head dims (lane c holds
// columns c, c + 32, ...): a score is a warp-wide dot product, then the online
// softmax runs on one number that every lane holds. PER_LANE = ⌈max(d, d_v) / 32⌉.

template <typename T>
__device__ __forceinline__ T exp_of(T x);
template <>
__device__ __forceinline__ float exp_of<float>(float x) { return expf(x); }
template <>
__device__ __forceinline__ double exp_of<double>(double x) { return exp(x); }

template <typename T>
__device__ __forceinline__ T log_of(T x);
template <>
__device__ __forceinline__ float log_of<float>(float x) { return logf(x); }
template <>
__device__ __forceinline__ double log_of<double>(double x) { return log(x); }

template <typename T, int PER_LANE>
__global__ void __launch_bounds__(128)
    attention_rows(const T* __restrict__ q,       // (bh, n_q, d)
                   const T* __restrict__ k,       // (bh, n_k, d)
                   const T* __restrict__ v,       // (bh, n_k, d_v)
                   const T* __restrict__ bias,    // (bh, n_q, n_k), −inf = masked; or null
                   const T* __restrict__ slopes,  // (bh,), or null
                   T* __restrict__ out,           // (bh, n_q, d_v)
                   T* __restrict__ lse,           // (bh, n_q)
                   int rows, int n_q, int n_k, int d, int d_v, T scale, int causal) {
  const int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
  const int lane = threadIdx.x % 32;
  if (warp >= rows) return;  // whole warps leave together: shuffles below stay full
  const int bh = warp / n_q;
  const int i = warp % n_q;
  const int offset = n_k - n_q;
  const int key_end = causal ? min(n_k, i + offset + 1) : n_k;

  const T* q_row = q + static_cast<size_t>(warp) * d;
  const T* k_head = k + static_cast<size_t>(bh) * n_k * d;
  const T* v_head = v + static_cast<size_t>(bh) * n_k * d_v;
  const T* bias_row = bias != nullptr ? bias + static_cast<size_t>(warp) * n_k : nullptr;
  const T slope = slopes != nullptr ? slopes[bh] : T(0);

  T q_reg[PER_LANE];
  T acc[PER_LANE];
#pragma unroll
  for (int u = 0; u < PER_LANE; ++u) {
    const int c = lane + 32 * u;
    q_reg[u] = c < d ? q_row[c] : T(0);
    acc[u] = T(0);
  }
  T m = -INFINITY;
  T l = T(0);

  for (int j = 0; j < key_end; ++j) {
    const T* k_row = k_head + static_cast<size_t>(j) * d;
    T dot = T(0);
#pragma unroll
    for (int u = 0; u < PER_LANE; ++u) {
      const int c = lane + 32 * u;
      if (c < d) dot += q_reg[u] * k_row[c];
    }
#pragma unroll
    for (int width = 16; width > 0; width /= 2) dot += __shfl_xor_sync(0xffffffffu, dot, width);
    T x = dot * scale;
    if (bias_row != nullptr) x += bias_row[j];
    if (slopes != nullptr) x -= slope * static_cast<T>(i + offset - j);
    if (x == -INFINITY) continue;  // masked: the same decision in every lane

    const T m_new = x > m ? x : m;
    const T rescale = exp_of<T>(m - m_new);  // 0 on the first visible key
    const T p = exp_of<T>(x - m_new);
    l = l * rescale + p;
    const T* v_row = v_head + static_cast<size_t>(j) * d_v;
#pragma unroll
    for (int u = 0; u < PER_LANE; ++u) {
      const int c = lane + 32 * u;
      acc[u] = acc[u] * rescale + (c < d_v ? p * v_row[c] : T(0));
    }
    m = m_new;
  }

  const T inverse = l > T(0) ? T(1) / l : T(0);
  T* out_row = out + static_cast<size_t>(warp) * d_v;
#pragma unroll
  for (int u = 0; u < PER_LANE; ++u) {
    const int c = lane + 32 * u;
    if (c < d_v) out_row[c] = acc[u] * inverse;
  }
  if (lane == 0) lse[warp] = l > T(0) ? m + log_of<T>(l) : T(-INFINITY);
}

}  // namespace switchyard
