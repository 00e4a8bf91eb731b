// CPU versions of the PTX wrappers in flash_attention.cu, included inside its
// namespace in place of the inline assembly. Semantics from the PTX ISA:
//   ldmatrix.m8n8.x4(.trans).b16, mma.sync.m16n8k16.row.col.f32.{f16,bf16},
//   cp.async.cg 16 (zero fill), commit_group / wait_group, cvt.rn.*x2.f32, ex2.

inline unsigned shared_address(const void* pointer) {
  return static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(pointer));
}

// Copies land at the wait that must see them, never earlier: a missing wait or
// a read of the wrong stage shows as wrong numbers.
inline void cp_async_16(void* dst, const void* src, bool valid) {
  emu::current().open_group.push_back(emu::Copy{dst, src, valid});
}

inline void cp_async_commit() {
  emu::Fiber& fiber = emu::current();
  fiber.groups.push_back(std::move(fiber.open_group));
  fiber.open_group.clear();
}

template <int PENDING>
inline void cp_async_wait() {
  emu::Fiber& fiber = emu::current();
  while (static_cast<int>(fiber.groups.size()) > PENDING) {
    for (const emu::Copy& copy : fiber.groups.front()) {
      if (copy.valid) {
        std::memcpy(copy.dst, copy.src, 16);
      } else {
        std::memset(copy.dst, 0, 16);
      }
    }
    fiber.groups.erase(fiber.groups.begin());
  }
}

inline unsigned pair(std::uint16_t lo, std::uint16_t hi) {
  return static_cast<unsigned>(lo) | (static_cast<unsigned>(hi) << 16);
}

// Shared memory has 32 banks of 4 bytes: a 16-byte row read touches one of 8
// groups of 4 banks. Each 8×8 matrix of an ldmatrix is one phase of 8 row reads,
// conflict-free only when the 8 rows fall in 8 different groups.
inline void count_bank_conflicts(const emu::WarpExchange& exchange) {
  for (int i = 0; i < 4; ++i) {
    unsigned groups = 0;
    for (int r = 0; r < 8; ++r) {
      const auto address = reinterpret_cast<std::uintptr_t>(exchange.pointer[8 * i + r]);
      groups |= 1u << ((address >> 4) & 7);
    }
    emu::counters().ldmatrix_phases += 1;
    emu::counters().conflicted_phases += groups != 0xFFu;
  }
}

// Matrix i's row r comes from the address lane 8i + r gave; each lane receives
// row lane/4, columns 2·(lane%4) and +1 (transposed: rows 2·(lane%4), +1 of column lane/4).
template <bool TRANSPOSED>
inline void emulated_ldmatrix(unsigned (&r)[4], const void* row) {
  emu::WarpExchange& exchange = emu::exchange();
  const int lane = emu::lane_id();
  exchange.pointer[lane] = row;
  emu::warp_sync();
  if (lane == 0) count_bank_conflicts(exchange);
  auto row_of = [&](int i, int r) {
    return static_cast<const std::uint16_t*>(exchange.pointer[8 * i + r]);
  };
  for (int i = 0; i < 4; ++i) {
    if (TRANSPOSED) {
      const int col = lane / 4;
      r[i] = pair(row_of(i, 2 * (lane % 4))[col], row_of(i, 2 * (lane % 4) + 1)[col]);
    } else {
      const std::uint16_t* source = row_of(i, lane / 4);
      r[i] = pair(source[2 * (lane % 4)], source[2 * (lane % 4) + 1]);
    }
  }
  emu::warp_sync();
}

inline void ldmatrix_x4(unsigned (&r)[4], const void* row) { emulated_ldmatrix<false>(r, row); }

inline void ldmatrix_x4_trans(unsigned (&r)[4], const void* row) {
  emulated_ldmatrix<true>(r, row);
}

inline float half_to_float(std::uint16_t bits) {
  _Float16 value;
  std::memcpy(&value, &bits, sizeof value);
  return static_cast<float>(value);
}

inline float bfloat_to_float(std::uint16_t bits) {
  const std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &wide, sizeof value);
  return value;
}

inline std::uint16_t float_to_half(float x) {
  const _Float16 value = static_cast<_Float16>(x);  // round to nearest even
  std::uint16_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

inline std::uint16_t float_to_bfloat(float x) {
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  if (std::isnan(x)) return 0x7FC0;
  bits += 0x7FFF + ((bits >> 16) & 1);  // round to nearest even
  return static_cast<std::uint16_t>(bits >> 16);
}

// Fragment layouts of m16n8k16 (g = lane / 4, t = lane % 4):
//   A (16×16): a0 (g, 2t..2t+1), a1 (g+8, 2t..), a2 (g, 2t+8..), a3 (g+8, 2t+8..)
//   B (16×8):  b0 (k 2t..2t+1, n g), b1 (k 2t+8.., n g)
//   C (16×8):  c0, c1 (g, 2t..2t+1), c2, c3 (g+8, 2t..2t+1)
template <float (*TO_FLOAT)(std::uint16_t)>
inline void emulated_mma(float (&c)[4], const unsigned (&a)[4], unsigned b0, unsigned b1) {
  emu::WarpExchange& exchange = emu::exchange();
  const int lane = emu::lane_id();
  for (int i = 0; i < 4; ++i) exchange.words[lane][i] = a[i];
  exchange.words[lane][4] = b0;
  exchange.words[lane][5] = b1;
  emu::warp_sync();
  auto half_of = [](unsigned word, int which) {
    return static_cast<std::uint16_t>(which ? word >> 16 : word & 0xFFFF);
  };
  const int g = lane / 4, t = lane % 4;
  for (int e = 0; e < 4; ++e) {
    const int row = g + 8 * (e >> 1);
    const int col = 2 * t + (e & 1);
    float sum = c[e];
    for (int kk = 0; kk < 16; ++kk) {
      const int a_lane = (row % 8) * 4 + (kk % 8) / 2;
      const int a_reg = (row >= 8 ? 1 : 0) + (kk >= 8 ? 2 : 0);
      const int b_lane = col * 4 + (kk % 8) / 2;
      const int b_reg = 4 + (kk >= 8 ? 1 : 0);
      const float x = TO_FLOAT(half_of(exchange.words[a_lane][a_reg], kk % 2));
      const float y = TO_FLOAT(half_of(exchange.words[b_lane][b_reg], kk % 2));
      sum += x * y;
    }
    c[e] = sum;
  }
  emu::warp_sync();
}

template <typename T>
struct Mma;

template <>
struct Mma<Fp16> {
  static void run(float (&c)[4], const unsigned (&a)[4], unsigned b0, unsigned b1) {
    emulated_mma<half_to_float>(c, a, b0, b1);
  }
  static unsigned pack(float lo, float hi) { return pair(float_to_half(lo), float_to_half(hi)); }
};

template <>
struct Mma<Bf16> {
  static void run(float (&c)[4], const unsigned (&a)[4], unsigned b0, unsigned b1) {
    emulated_mma<bfloat_to_float>(c, a, b0, b1);
  }
  static unsigned pack(float lo, float hi) {
    return pair(float_to_bfloat(lo), float_to_bfloat(hi));
  }
};

inline float fast_exp2(float x) { return std::exp2(x); }
