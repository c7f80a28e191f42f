// 2-D convolution forward, backward-data and backward-weights on oneDNN (NHWC activations, TF.js's
// HWIO filters, groups for ResNeXt). Activations stay in NHWC, which oneDNN's AVX-512/AVX2 kernels
// take directly; the filter is reordered into the primitive's blocked layout on each call (a few
// microseconds for CIFAR filters, well under 1% of a layer).
#include "common.h"

namespace ltlab {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

enum Kind { kForward = 0, kBackwardData = 1, kBackwardWeights = 2 };

/** Parameters in the order the TypeScript side packs them. */
struct ConvShape {
  int64_t n, h, w, ic, oh, ow, oc, kh, kw, sh, sw, pt, pl, pb, pr, dh, dw, groups;
  explicit ConvShape(const std::vector<int64_t>& p) {
    if (p.size() != 18) throw std::invalid_argument("conv2d: expected 18 shape parameters");
    n = p[0], h = p[1], w = p[2], ic = p[3], oh = p[4], ow = p[5], oc = p[6], kh = p[7], kw = p[8];
    sh = p[9], sw = p[10], pt = p[11], pl = p[12], pb = p[13], pr = p[14], dh = p[15], dw = p[16];
    groups = p[17];
  }
  memory::desc Src() const { return {{n, ic, h, w}, dt::f32, tag::nhwc}; }
  memory::desc Dst() const { return {{n, oc, oh, ow}, dt::f32, tag::nhwc}; }
  memory::dims WeightDims() const {
    if (groups == 1) return {oc, ic, kh, kw};
    return {groups, oc / groups, ic / groups, kh, kw};
  }
  /** TF.js's filter layout: [kh, kw, ic / groups, oc]. */
  memory::desc UserWeights() const { return {WeightDims(), dt::f32, groups == 1 ? tag::hwio : tag::hwigo}; }
  memory::desc AnyWeights() const { return {WeightDims(), dt::f32, tag::any}; }
  memory::dims Strides() const { return {sh, sw}; }
  // oneDNN counts dilation from 0 (no gaps), TF.js from 1.
  memory::dims Dilates() const { return {dh - 1, dw - 1}; }
  memory::dims PadL() const { return {pt, pl}; }
  memory::dims PadR() const { return {pb, pr}; }
};

dnnl::convolution_forward::desc ForwardDesc(const ConvShape& s, bool bias) {
  memory::desc bias_md = bias ? memory::desc({s.oc}, dt::f32, tag::a) : memory::desc();
  return dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                         s.Src(), s.AnyWeights(), bias_md, s.Dst(), s.Strides(), s.Dilates(),
                                         s.PadL(), s.PadR());
}

/** A built primitive and the reorder that brings TF.js's filter to (or from) its layout. */
struct ConvEntry {
  dnnl::primitive primitive;
  memory::desc weights;  // the primitive's weight layout
  bool reorder_weights;
  dnnl::reorder weights_reorder;
  memory weights_buffer;  // the filter in the primitive's layout, reused across calls
};

LruCache<ConvEntry>& Cache() {
  static LruCache<ConvEntry> cache(kCacheCapacity);
  return cache;
}

ConvEntry Build(Kind kind, const ConvShape& s, bool bias, int activation) {
  auto& engine = Engine();
  auto forward_pd = dnnl::convolution_forward::primitive_desc(ForwardDesc(s, bias), engine);
  ConvEntry entry;
  if (kind == kForward) {
    dnnl::primitive_attr attr;
    if (activation == 1) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
      attr.set_post_ops(ops);
    }
    auto pd = dnnl::convolution_forward::primitive_desc(ForwardDesc(s, bias), attr, engine);
    entry.primitive = dnnl::convolution_forward(pd);
    entry.weights = pd.weights_desc();
  } else if (kind == kBackwardData) {
    auto desc = dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, s.Src(), s.AnyWeights(),
                                                      s.Dst(), s.Strides(), s.Dilates(), s.PadL(), s.PadR());
    auto pd = dnnl::convolution_backward_data::primitive_desc(desc, engine, forward_pd);
    entry.primitive = dnnl::convolution_backward_data(pd);
    entry.weights = pd.weights_desc();
  } else {
    auto desc = dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, s.Src(),
                                                         s.AnyWeights(), s.Dst(), s.Strides(), s.Dilates(),
                                                         s.PadL(), s.PadR());
    auto pd = dnnl::convolution_backward_weights::primitive_desc(desc, engine, forward_pd);
    entry.primitive = dnnl::convolution_backward_weights(pd);
    entry.weights = pd.diff_weights_desc();
  }
  entry.reorder_weights = entry.weights != s.UserWeights();
  if (entry.reorder_weights) {
    entry.weights_buffer = memory(entry.weights, engine);
    auto user = s.UserWeights();
    entry.weights_reorder = kind == kBackwardWeights
                                ? dnnl::reorder(dnnl::reorder::primitive_desc(engine, entry.weights, engine, user))
                                : dnnl::reorder(dnnl::reorder::primitive_desc(engine, user, engine, entry.weights));
  }
  return entry;
}

/**
 * conv2d(kind, a, b, out, shape: Int32Array(18), bias: Float32Array | null, activation: 0 | 1)
 *   forward:          a = x,  b = filter, out = y   (bias and ReLU fused when given)
 *   backward data:    a = dy, b = filter, out = dx
 *   backward weights: a = x,  b = dy,     out = dfilter
 */
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const auto kind = static_cast<Kind>(Int(info, 0));
    float* a = F32(info, 1);
    float* b = F32(info, 2);
    float* out = F32(info, 3);
    const auto params = Ints(info, 4);
    const ConvShape s(params);
    const bool has_bias = kind == kForward && !info[5].IsNull() && !info[5].IsUndefined();
    const int activation = kind == kForward ? Int(info, 6) : 0;
    auto key_values = params;
    key_values.push_back(has_bias);
    key_values.push_back(activation);
    auto entry = Cache().Get(Key(kind == kForward ? "f" : kind == kBackwardData ? "d" : "w", key_values),
                             [&] { return Build(kind, s, has_bias, activation); });
    auto& engine = Engine();
    auto& stream = Stream();
    float* filter_user = kind == kBackwardWeights ? out : b;
    memory user_weights(s.UserWeights(), engine, filter_user);
    memory weights = entry->reorder_weights ? entry->weights_buffer : user_weights;
    if (kind == kForward) {
      if (entry->reorder_weights) entry->weights_reorder.execute(stream, user_weights, weights);
      std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(s.Src(), engine, a)},
                                           {DNNL_ARG_WEIGHTS, weights},
                                           {DNNL_ARG_DST, memory(s.Dst(), engine, out)}};
      if (has_bias) args[DNNL_ARG_BIAS] = memory({{s.oc}, dt::f32, tag::a}, engine, F32(info, 5));
      entry->primitive.execute(stream, args);
    } else if (kind == kBackwardData) {
      if (entry->reorder_weights) entry->weights_reorder.execute(stream, user_weights, weights);
      entry->primitive.execute(stream, {{DNNL_ARG_DIFF_DST, memory(s.Dst(), engine, a)},
                                        {DNNL_ARG_WEIGHTS, weights},
                                        {DNNL_ARG_DIFF_SRC, memory(s.Src(), engine, out)}});
    } else {
      entry->primitive.execute(stream, {{DNNL_ARG_SRC, memory(s.Src(), engine, a)},
                                        {DNNL_ARG_DIFF_DST, memory(s.Dst(), engine, b)},
                                        {DNNL_ARG_DIFF_WEIGHTS, weights}});
      if (entry->reorder_weights) entry->weights_reorder.execute(stream, weights, user_weights);
    }
    stream.wait();
  });
}

}  // namespace

size_t ConvCacheSize() { return Cache().Size(); }
void ClearConvCache() { Cache().Clear(); }

void InitConv(Napi::Env env, Napi::Object exports) { exports.Set("conv2d", Napi::Function::New(env, Conv2d)); }

}  // namespace ltlab
