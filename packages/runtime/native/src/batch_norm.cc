// Batch normalisation (Ioffe & Szegedy, ICML 2015, Alg. 1 and its backward pass) on oneDNN, over
// NHWC maps or [rows, C] features: training forward (batch mean and biased variance), inference
// forward (given statistics) and the backward pass giving dx, dgamma and dbeta in one primitive.
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

/**
 * batchNorm(kind, dims: Int32Array [n, c, h, w], eps, ...arrays)
 *   train:     x, gamma, beta, y, mean (out), variance (out)
 *   inference: x, gamma, beta, y, mean, variance
 *   backward:  x, gamma, mean, variance, dy, dx (out), dgamma (out), dbeta (out)
 */
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const auto kind = static_cast<Kind>(Int(info, 0));
    const auto dims = Ints(info, 1);
    if (dims.size() != 4) throw std::invalid_argument("batchNorm: expected dims [n, c, h, w]");
    const float eps = Float(info, 2);
    auto key = dims;
    key.push_back(kind);
    std::string k = Key("bn", key) + ":" + std::to_string(eps);
    auto entry = Cache().Get(k, [&] { return Build(kind, dims, eps); });
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
