// Batch normalisation (Ioffe & Szegedy, ICML 2015, Alg. 1 and its backward pass) on oneDNN, over
// NHWC maps or [rows, C] features: training forward (batch mean and biased variance), inference
// forward (given statistics) and the backward pass giving dx, dgamma and dbeta in one primitive.
// The training forward computes the batch statistics here, in double, and normalises with
// oneDNN's primitive given them: oneDNN 2.x sums each channel in float32, one vector lane per
// channel, and on images with a constant background (Fashion-MNIST: half the pixels of every
// image are 0) those sums round the same way 10^5 times, biasing the mean by ~5e-4 relative and
// ResNet-8 gradients by 1-4% (docs/benchmarks/2026-12-07-native-bn-statistics.md).
#include <algorithm>
#include <vector>

#include "common.h"

namespace ltlab {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;
using flags = dnnl::normalization_flags;

enum Kind { kTrain = 0, kInference = 1, kBackward = 2 };

struct BnEntry {
  dnnl::primitive primitive;
};

LruCache<BnEntry>& Cache() {
  static LruCache<BnEntry> cache(kCacheCapacity);
  return cache;
}

memory::desc Data(const std::vector<int64_t>& d) { return {{d[0], d[1], d[2], d[3]}, dt::f32, tag::nhwc}; }

dnnl::batch_normalization_forward::primitive_desc ForwardPd(const std::vector<int64_t>& d, float eps, Kind kind) {
  const auto f = kind == kInference ? flags::use_global_stats | flags::use_scale | flags::use_shift
                                    : flags::use_scale | flags::use_shift;
  const auto prop = kind == kInference ? dnnl::prop_kind::forward_inference : dnnl::prop_kind::forward_training;
  return {dnnl::batch_normalization_forward::desc(prop, Data(d), eps, f), Engine()};
}

BnEntry Build(Kind kind, const std::vector<int64_t>& d, float eps) {
  if (kind != kBackward) return {dnnl::batch_normalization_forward(ForwardPd(d, eps, kind))};
  auto desc = dnnl::batch_normalization_backward::desc(dnnl::prop_kind::backward, Data(d), Data(d), eps,
                                                       flags::use_scale | flags::use_shift);
  auto pd = dnnl::batch_normalization_backward::primitive_desc(desc, Engine(), ForwardPd(d, eps, kTrain));
  return {dnnl::batch_normalization_backward(pd)};
}

/** Rows per block of the statistics' partial sums: fixed, so the sums do not depend on the threads. */
constexpr int64_t kRowBlock = 256;

/**
 * Per-channel mean and biased variance of x viewed as [rows, c], two-pass (mean, then squared
 * deviations from it) with double accumulators. Rows are summed in fixed blocks whose partial
 * sums are then added in block order: the result is the same for every thread count.
 */
void ChannelMoments(const float* x, int64_t rows, int64_t c, float* mean_out, float* variance_out) {
  const int64_t blocks = (rows + kRowBlock - 1) / kRowBlock;
  std::vector<double> partial(blocks * c), mean(c, 0.0), variance(c, 0.0);
  const bool big = rows * c >= kParallelMin;
  auto pass = [&](bool squares) {
#pragma omp parallel for if (big && blocks > 1) schedule(static)
    for (int64_t b = 0; b < blocks; b++) {
      double* acc = partial.data() + b * c;
      std::fill(acc, acc + c, 0.0);
      const int64_t end = std::min(rows, (b + 1) * kRowBlock);
      for (int64_t r = b * kRowBlock; r < end; r++) {
        const float* row = x + r * c;
        if (squares) {
#pragma omp simd
          for (int64_t k = 0; k < c; k++) {
            const double d = static_cast<double>(row[k]) - mean[k];
            acc[k] += d * d;
          }
        } else {
#pragma omp simd
          for (int64_t k = 0; k < c; k++) acc[k] += row[k];
        }
      }
    }
    std::vector<double>& total = squares ? variance : mean;
    for (int64_t b = 0; b < blocks; b++)
      for (int64_t k = 0; k < c; k++) total[k] += partial[b * c + k];
    for (int64_t k = 0; k < c; k++) total[k] /= static_cast<double>(rows);
  };
  pass(false);
  pass(true);
  for (int64_t k = 0; k < c; k++) {
    mean_out[k] = static_cast<float>(mean[k]);
    variance_out[k] = static_cast<float>(variance[k]);
  }
}

/**
 * batchNorm(kind, dims: Int32Array [n, c, h, w], eps, ...arrays)
 *   train:     x, gamma, beta, y, mean (out), variance (out): statistics by ChannelMoments, y by the
 *              inference primitive given them
 *   inference: x, gamma, beta, y, mean, variance
 *   backward:  x, gamma, mean, variance, dy, dx (out), dgamma (out), dbeta (out)
 */
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const auto kind = static_cast<Kind>(Int(info, 0));
    const auto dims = Ints(info, 1);
    if (dims.size() != 4) throw std::invalid_argument("batchNorm: expected dims [n, c, h, w]");
    const float eps = Float(info, 2);
    // Training normalises with statistics computed here (see the top of the file).
    const Kind primitive_kind = kind == kTrain ? kInference : kind;
    if (kind == kTrain) ChannelMoments(F32(info, 3), dims[0] * dims[2] * dims[3], dims[1], F32(info, 7), F32(info, 8));
    auto key = dims;
    key.push_back(primitive_kind);
    std::string k = Key("bn", key) + ":" + std::to_string(eps);
    auto entry = Cache().Get(k, [&] { return Build(primitive_kind, dims, eps); });
    auto& engine = Engine();
    const memory::desc data = Data(dims);
    const memory::desc channel({dims[1]}, dt::f32, tag::a);
    auto mem = [&](const memory::desc& md, size_t i) { return memory(md, engine, F32(info, i)); };
    if (kind == kBackward) {
      // oneDNN 2.x lists SHIFT among a backward pass's inputs under use_shift, though the
      // gradients do not depend on it; gamma's buffer stands in.
      entry->primitive.execute(Stream(), {{DNNL_ARG_SRC, mem(data, 3)},
                                          {DNNL_ARG_SCALE, mem(channel, 4)},
                                          {DNNL_ARG_SHIFT, mem(channel, 4)},
                                          {DNNL_ARG_MEAN, mem(channel, 5)},
                                          {DNNL_ARG_VARIANCE, mem(channel, 6)},
                                          {DNNL_ARG_DIFF_DST, mem(data, 7)},
                                          {DNNL_ARG_DIFF_SRC, mem(data, 8)},
                                          {DNNL_ARG_DIFF_SCALE, mem(channel, 9)},
                                          {DNNL_ARG_DIFF_SHIFT, mem(channel, 10)}});
    } else {
      entry->primitive.execute(Stream(), {{DNNL_ARG_SRC, mem(data, 3)},
                                          {DNNL_ARG_SCALE, mem(channel, 4)},
                                          {DNNL_ARG_SHIFT, mem(channel, 5)},
                                          {DNNL_ARG_DST, mem(data, 6)},
                                          {DNNL_ARG_MEAN, mem(channel, 7)},
                                          {DNNL_ARG_VARIANCE, mem(channel, 8)}});
    }
    Stream().wait();
  });
}

}  // namespace

size_t BatchNormCacheSize() { return Cache().Size(); }
void ClearBatchNormCache() { Cache().Clear(); }

void InitBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNorm", Napi::Function::New(env, BatchNorm));
}

}  // namespace ltlab
