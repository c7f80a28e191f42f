// Element-wise kernels over float32: binary ops with NumPy broadcasting, unary ops, ReLU's
// gradient and n-ary sums. Memory-bound loops, split across OpenMP threads above a size where
// threading pays.
#include <algorithm>
#include <cmath>

#include "common.h"

namespace ltlab {
namespace {

enum BinaryOp { kAdd = 0, kSub, kMul, kDiv, kMaximum, kMinimum, kSquaredDifference };

template <typename Op>
void BinaryRow(const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t n, Op op) {
  if (sa == 1 && sb == 1) {
#pragma omp simd
    for (int64_t i = 0; i < n; i++) out[i] = op(a[i], b[i]);
  } else if (sa == 0 && sb == 1) {
    const float x = a[0];
#pragma omp simd
    for (int64_t i = 0; i < n; i++) out[i] = op(x, b[i]);
  } else if (sa == 1 && sb == 0) {
    const float y = b[0];
#pragma omp simd
    for (int64_t i = 0; i < n; i++) out[i] = op(a[i], y);
  } else {
    for (int64_t i = 0; i < n; i++) out[i] = op(a[i * sa], b[i * sb]);
  }
}

/**
 * out[idx] = op(a[idx · aStrides], b[idx · bStrides]) over outShape; strides are element strides
 * with 0 on broadcast axes. The innermost axis is the row loop; the rows are split across threads.
 */
template <typename Op>
void Broadcast(const float* a, const float* b, float* out, const std::vector<int64_t>& shape,
               const std::vector<int64_t>& as, const std::vector<int64_t>& bs, Op op) {
  const int rank = static_cast<int>(shape.size());
  const int64_t inner = rank == 0 ? 1 : shape[rank - 1];
  const int64_t sa = rank == 0 ? 0 : as[rank - 1], sb = rank == 0 ? 0 : bs[rank - 1];
  int64_t rows = 1;
  for (int d = 0; d < rank - 1; d++) rows *= shape[d];
  // Long rows (a same-shape op collapses to one) are cut into blocks so every thread gets work.
  constexpr int64_t kBlock = 1 << 14;
  const int64_t blocks = (inner + kBlock - 1) / kBlock;
#pragma omp parallel for if (rows * inner >= kParallelMin) schedule(static)
  for (int64_t task = 0; task < rows * blocks; task++) {
    const int64_t r = task / blocks, begin = (task % blocks) * kBlock;
    const int64_t length = std::min(kBlock, inner - begin);
    int64_t rest = r, offset_a = 0, offset_b = 0;
    for (int d = rank - 2; d >= 0; d--) {
      const int64_t i = rest % shape[d];
      rest /= shape[d];
      offset_a += i * as[d];
      offset_b += i * bs[d];
    }
    BinaryRow(a + offset_a + begin * sa, sa, b + offset_b + begin * sb, sb, out + r * inner + begin, length, op);
  }
}

/** binary(op, a, b, out, shape: Int32Array, aStrides: Int32Array, bStrides: Int32Array) */
Napi::Value Binary(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const auto op = static_cast<BinaryOp>(Int(info, 0));
    const float* a = F32(info, 1);
    const float* b = F32(info, 2);
    float* out = F32(info, 3);
    const auto shape = Ints(info, 4), as = Ints(info, 5), bs = Ints(info, 6);
    switch (op) {
      case kAdd: return Broadcast(a, b, out, shape, as, bs, [](float x, float y) { return x + y; });
      case kSub: return Broadcast(a, b, out, shape, as, bs, [](float x, float y) { return x - y; });
      case kMul: return Broadcast(a, b, out, shape, as, bs, [](float x, float y) { return x * y; });
      case kDiv: return Broadcast(a, b, out, shape, as, bs, [](float x, float y) { return x / y; });
      case kMaximum:
        return Broadcast(a, b, out, shape, as, bs, [](float x, float y) { return std::isnan(x) || x > y ? x : y; });
      case kMinimum:
        return Broadcast(a, b, out, shape, as, bs, [](float x, float y) { return std::isnan(x) || x < y ? x : y; });
      case kSquaredDifference:
        return Broadcast(a, b, out, shape, as, bs, [](float x, float y) { return (x - y) * (x - y); });
    }
    throw std::invalid_argument("binary: unknown op");
  });
}

enum UnaryOp { kRelu = 0, kNeg, kExp, kLog, kSqrt, kRsqrt, kSquare, kAbs, kStep, kSigmoid, kTanh, kLeakyRelu, kRelu6 };

template <typename Op>
void Map(const float* x, float* out, int64_t n, Op op) {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
  for (int64_t i = 0; i < n; i++) out[i] = op(x[i]);
}

/** unary(op, x, out, alpha): alpha is Step's value at x <= 0 and LeakyRelu's slope. */
Napi::Value Unary(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const auto op = static_cast<UnaryOp>(Int(info, 0));
    const float* x = F32(info, 1);
    float* out = F32(info, 2);
    const int64_t n = static_cast<int64_t>(Length(info, 2));
    const float alpha = Float(info, 3);
    switch (op) {
      // NaN passes through ReLU, as in TF.js.
      case kRelu: return Map(x, out, n, [](float v) { return v < 0.f ? 0.f : v; });
      case kRelu6: return Map(x, out, n, [](float v) { return v < 0.f ? 0.f : (v > 6.f ? 6.f : v); });
      case kNeg: return Map(x, out, n, [](float v) { return -v; });
      case kExp: return Map(x, out, n, [](float v) { return std::exp(v); });
      case kLog: return Map(x, out, n, [](float v) { return std::log(v); });
      case kSqrt: return Map(x, out, n, [](float v) { return std::sqrt(v); });
      case kRsqrt: return Map(x, out, n, [](float v) { return 1.f / std::sqrt(v); });
      case kSquare: return Map(x, out, n, [](float v) { return v * v; });
      case kAbs: return Map(x, out, n, [](float v) { return std::fabs(v); });
      case kStep: return Map(x, out, n, [alpha](float v) { return std::isnan(v) ? v : (v > 0.f ? 1.f : alpha); });
      case kSigmoid: return Map(x, out, n, [](float v) { return 1.f / (1.f + std::exp(-v)); });
      case kTanh: return Map(x, out, n, [](float v) { return std::tanh(v); });
      case kLeakyRelu: return Map(x, out, n, [alpha](float v) { return v < 0.f ? alpha * v : v; });
    }
    throw std::invalid_argument("unary: unknown op");
  });
}

/**
 * reluGrad(dy, x, dx): dx = dy · step(x), TF.js's formula in one pass (NaN in x or dy stays NaN).
 * Written branch-free: the branching form did not vectorise and ran 17x slower on random signs.
 */
Napi::Value ReluGrad(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const float* dy = F32(info, 0);
    const float* x = F32(info, 1);
    float* dx = F32(info, 2);
    const int64_t n = static_cast<int64_t>(Length(info, 2));
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
    for (int64_t i = 0; i < n; i++) {
      // Unconditional loads and selects of values: GCC vectorises this form only.
      const float v = x[i];
      const float d = dy[i];
      const float step = v > 0.f ? 1.f : 0.f;
      dx[i] = d * (v != v ? v : step);
    }
  });
}

/** addN(out, ...inputs): the sum of same-sized arrays (gradient accumulation). */
Napi::Value AddN(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    float* out = F32(info, 0);
    const int64_t n = static_cast<int64_t>(Length(info, 0));
    std::vector<const float*> inputs;
    for (size_t i = 1; i < info.Length(); i++) inputs.push_back(F32(info, i));
    if (inputs.empty()) throw std::invalid_argument("addN: no inputs");
    const float* first = inputs[0];
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
    for (int64_t i = 0; i < n; i++) out[i] = first[i];
    for (size_t k = 1; k < inputs.size(); k++) {
      const float* in = inputs[k];
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
      for (int64_t i = 0; i < n; i++) out[i] += in[i];
    }
  });
}

/**
 * copyBox(src, dst, params: Int32Array [rank, srcShape..., dstShape..., srcBegin..., dstBegin...,
 * box...], fill: number | null): copies the box of `src` starting at srcBegin into `dst` at
 * dstBegin; with `fill`, every element of `dst` outside the box is set to it first. Slice is a box
 * at dstBegin 0, Pad a box into a filled output.
 */
Napi::Value CopyBox(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const float* src = F32(info, 0);
    float* dst = F32(info, 1);
    const auto p = Ints(info, 2);
    const int rank = static_cast<int>(p.at(0));
    if (rank < 1 || p.size() != static_cast<size_t>(1 + 5 * rank)) throw std::invalid_argument("copyBox: bad params");
    auto part = [&](int k) { return std::vector<int64_t>(p.begin() + 1 + k * rank, p.begin() + 1 + (k + 1) * rank); };
    const auto src_shape = part(0), dst_shape = part(1), src_begin = part(2), dst_begin = part(3), box = part(4);
    if (!info[3].IsNull() && !info[3].IsUndefined()) {
      const float value = Float(info, 3);
      const int64_t n = static_cast<int64_t>(Length(info, 1));
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
      for (int64_t i = 0; i < n; i++) dst[i] = value;
    }
    std::vector<int64_t> src_strides(rank, 1), dst_strides(rank, 1);
    for (int d = rank - 2; d >= 0; d--) {
      src_strides[d] = src_strides[d + 1] * src_shape[d + 1];
      dst_strides[d] = dst_strides[d + 1] * dst_shape[d + 1];
    }
    int64_t rows = 1;
    for (int d = 0; d < rank - 1; d++) rows *= box[d];
    const int64_t inner = box[rank - 1];
    if (rows == 0 || inner == 0) return;
#pragma omp parallel for if (rows * inner >= kParallelMin) schedule(static)
    for (int64_t r = 0; r < rows; r++) {
      int64_t rest = r, from = src_begin[rank - 1], to = dst_begin[rank - 1];
      for (int d = rank - 2; d >= 0; d--) {
        const int64_t i = rest % box[d];
        rest /= box[d];
        from += (i + src_begin[d]) * src_strides[d];
        to += (i + dst_begin[d]) * dst_strides[d];
      }
      std::copy(src + from, src + from + inner, dst + to);
    }
  });
}

}  // namespace

void InitElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("reluGrad", Napi::Function::New(env, ReluGrad));
  exports.Set("addN", Napi::Function::New(env, AddN));
  exports.Set("copyBox", Napi::Function::New(env, CopyBox));
}

}  // namespace ltlab
