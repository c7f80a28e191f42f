// Max and average pooling and their gradients on oneDNN (NHWC). Padding never wins a max and never
// counts in an average, as in TF.js. TF.js's MaxPoolGrad gets x but no argmax workspace, so the
// backward pass reruns the forward pass in training mode to get one (max pools are rare in the
// models ltlab trains: one per ImageNet ResNet).
#include "common.h"

namespace ltlab {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

enum Kind { kForward = 0, kBackward = 1 };

struct PoolShape {
  int64_t n, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr, max;
  explicit PoolShape(const std::vector<int64_t>& p) {
    if (p.size() != 15) throw std::invalid_argument("pool2d: expected 15 shape parameters");
    n = p[0], h = p[1], w = p[2], c = p[3], oh = p[4], ow = p[5], kh = p[6], kw = p[7], sh = p[8], sw = p[9];
    pt = p[10], pl = p[11], pb = p[12], pr = p[13], max = p[14];
  }
  memory::desc Src() const { return {{n, c, h, w}, dt::f32, tag::nhwc}; }
  memory::desc Dst() const { return {{n, c, oh, ow}, dt::f32, tag::nhwc}; }
  dnnl::algorithm Algorithm() const {
    return max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
  }
  dnnl::pooling_forward::desc Forward(dnnl::prop_kind prop) const {
    return {prop, Algorithm(), Src(), Dst(), {sh, sw}, {kh, kw}, {pt, pl}, {pb, pr}};
  }
};

struct PoolEntry {
  dnnl::primitive forward;
  dnnl::primitive backward;  // only for the backward kind
  memory workspace;          // max pooling's argmax, written by `forward` in training mode
  memory scratch_dst;        // the forward output the backward pass does not need
};

LruCache<PoolEntry>& Cache() {
  static LruCache<PoolEntry> cache(kCacheCapacity);
  return cache;
}

PoolEntry Build(Kind kind, const PoolShape& s) {
  auto& engine = Engine();
  PoolEntry entry;
  if (kind == kForward) {
    entry.forward = dnnl::pooling_forward({s.Forward(dnnl::prop_kind::forward_inference), engine});
    return entry;
  }
  dnnl::pooling_forward::primitive_desc forward_pd(s.Forward(dnnl::prop_kind::forward_training), engine);
  dnnl::pooling_backward::desc desc(s.Algorithm(), s.Src(), s.Dst(), {s.sh, s.sw}, {s.kh, s.kw}, {s.pt, s.pl},
                                    {s.pb, s.pr});
  dnnl::pooling_backward::primitive_desc pd(desc, engine, forward_pd);
  entry.backward = dnnl::pooling_backward(pd);
  if (s.max) {
    entry.forward = dnnl::pooling_forward(forward_pd);
    entry.workspace = memory(forward_pd.workspace_desc(), engine);
    entry.scratch_dst = memory(s.Dst(), engine);
  }
  return entry;
}

/**
 * pool2d(kind, shape: Int32Array(15), a, b, out)
 *   forward:  a = x, out = y (b unused)
 *   backward: a = dy, b = x (max pooling only), out = dx
 */
Napi::Value Pool2d(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const auto kind = static_cast<Kind>(Int(info, 0));
    const auto params = Ints(info, 1);
    const PoolShape s(params);
    auto entry = Cache().Get(Key(kind == kForward ? "pf" : "pb", params), [&] { return Build(kind, s); });
    auto& engine = Engine();
    auto& stream = Stream();
    if (kind == kForward) {
      entry->forward.execute(stream, {{DNNL_ARG_SRC, memory(s.Src(), engine, F32(info, 2))},
                                      {DNNL_ARG_DST, memory(s.Dst(), engine, F32(info, 4))}});
    } else {
      std::unordered_map<int, memory> args{{DNNL_ARG_DIFF_DST, memory(s.Dst(), engine, F32(info, 2))},
                                           {DNNL_ARG_DIFF_SRC, memory(s.Src(), engine, F32(info, 4))}};
      if (s.max) {
        entry->forward.execute(stream, {{DNNL_ARG_SRC, memory(s.Src(), engine, F32(info, 3))},
                                        {DNNL_ARG_DST, entry->scratch_dst},
                                        {DNNL_ARG_WORKSPACE, entry->workspace}});
        args[DNNL_ARG_WORKSPACE] = entry->workspace;
      }
      entry->backward.execute(stream, args);
    }
    stream.wait();
  });
}

}  // namespace

size_t PoolCacheSize() { return Cache().Size(); }
void ClearPoolCache() { Cache().Clear(); }

void InitPool(Napi::Env env, Napi::Object exports) { exports.Set("pool2d", Napi::Function::New(env, Pool2d)); }

}  // namespace ltlab
