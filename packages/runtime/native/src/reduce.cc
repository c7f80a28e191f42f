// Reductions over the middle axis of [outer, mid, inner]: the TypeScript side maps every reduction
// over contiguous axes onto this view (bias gradients over N·H·W, global average pooling over H·W,
// row sums). Sums accumulate in double, so the rounding of a mean over 10^5 values stays at float
// precision.
#include <cmath>
#include <limits>

#include "common.h"

namespace ltlab {
namespace {

enum ReduceOp { kSum = 0, kMean, kMax, kMin };

/** reduce(op, x, out, dims: Int32Array [outer, mid, inner]) */
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const auto op = static_cast<ReduceOp>(Int(info, 0));
    const float* x = F32(info, 1);
    float* out = F32(info, 2);
    const auto d = Ints(info, 3);
    if (d.size() != 3) throw std::invalid_argument("reduce: expected [outer, mid, inner]");
    const int64_t outer = d[0], mid = d[1], inner = d[2];
    const bool big = outer * mid * inner >= kParallelMin;
    if (op == kSum || op == kMean) {
      const double scale = op == kMean ? 1.0 / static_cast<double>(mid) : 1.0;
      if (inner == 1) {
#pragma omp parallel for if (big && outer > 1) schedule(static)
        for (int64_t o = 0; o < outer; o++) {
          const float* row = x + o * mid;
          double sum = 0;
#pragma omp simd reduction(+ : sum)
          for (int64_t m = 0; m < mid; m++) sum += row[m];
          out[o] = static_cast<float>(sum * scale);
        }
        return;
      }
      // Columns: sums run down the rows, so reads stay contiguous. With as many blocks as threads
      // each thread takes whole blocks (global average pooling: one per image); otherwise each
      // block's columns are split, one fork-join per block (a fork-join per block of 128 images
      // cost 3 ms, ten times the sums).
      const int threads = big ? Threads() : 1;
      auto columns = [&](const float* block, float* dst, int64_t begin, int64_t end) {
        std::vector<double> acc(end - begin, 0.0);
        for (int64_t m = 0; m < mid; m++) {
          const float* row = block + m * inner;
#pragma omp simd
          for (int64_t i = begin; i < end; i++) acc[i - begin] += row[i];
        }
        for (int64_t i = begin; i < end; i++) dst[i] = static_cast<float>(acc[i - begin] * scale);
      };
      if (outer >= threads) {
#pragma omp parallel for if (threads > 1) schedule(static)
        for (int64_t o = 0; o < outer; o++) columns(x + o * mid * inner, out + o * inner, 0, inner);
        return;
      }
      for (int64_t o = 0; o < outer; o++) {
        const int64_t chunk = (inner + threads - 1) / threads;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
        for (int t = 0; t < threads; t++) {
          const int64_t begin = t * chunk, end = std::min(inner, begin + chunk);
          if (begin < end) columns(x + o * mid * inner, out + o * inner, begin, end);
        }
      }
      return;
    }
    const bool is_max = op == kMax;
    const float start = is_max ? -std::numeric_limits<float>::infinity() : std::numeric_limits<float>::infinity();
#pragma omp parallel for if (big && outer * inner > 1) schedule(static)
    for (int64_t oi = 0; oi < outer * inner; oi++) {
      const int64_t o = oi / inner, i = oi % inner;
      const float* base = x + o * mid * inner + i;
      float best = start;
      for (int64_t m = 0; m < mid; m++) {
        const float v = base[m * inner];
        if (std::isnan(v)) {
          best = v;
          break;
        }
        best = is_max ? (v > best ? v : best) : (v < best ? v : best);
      }
      out[oi] = best;
    }
  });
}

}  // namespace

void InitReduce(Napi::Env env, Napi::Object exports) { exports.Set("reduce", Napi::Function::New(env, Reduce)); }

}  // namespace ltlab
