// The ltlab native addon: oneDNN and OpenMP kernels that work in place on the Float32Arrays of
// the `native` TF.js backend. Design and measurements: packages/runtime/README.md ("native").
#include <omp.h>

#include "common.h"

namespace ltlab {

dnnl::engine& Engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& Stream() {
  static dnnl::stream stream(Engine());
  return stream;
}

int Threads() { return omp_get_max_threads(); }

namespace {

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  int threads = Int(info, 0);
  if (threads < 1) {
    Napi::RangeError::New(info.Env(), "threads must be >= 1").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  // oneDNN fixes a primitive's thread count when it builds it: cached primitives would keep the
  // old count (and give the old count's results), so a change empties the caches.
  if (threads != omp_get_max_threads()) {
    ClearConvCache();
    ClearPoolCache();
    ClearBatchNormCache();
  }
  omp_set_num_threads(threads);
  return info.Env().Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  const dnnl_version_t* version = dnnl_version();
  out.Set("onednn", std::to_string(version->major) + "." + std::to_string(version->minor) + "." +
                        std::to_string(version->patch));
  out.Set("cpuIsa", static_cast<double>(static_cast<int>(dnnl::get_effective_cpu_isa())));
  out.Set("threads", Threads());
  out.Set("cachedPrimitives", static_cast<double>(ConvCacheSize() + PoolCacheSize() + BatchNormCacheSize()));
  out.Set("cacheCapacityPerFamily", static_cast<double>(kCacheCapacity));
  return out;
}

Napi::Value ClearCaches(const Napi::CallbackInfo& info) {
  ClearConvCache();
  ClearPoolCache();
  ClearBatchNormCache();
  return info.Env().Undefined();
}

}  // namespace
}  // namespace ltlab

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace ltlab;
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("clearCaches", Napi::Function::New(env, ClearCaches));
  InitConv(env, exports);
  InitMatMul(env, exports);
  InitBatchNorm(env, exports);
  InitPool(env, exports);
  InitElementwise(env, exports);
  InitReduce(env, exports);
  InitOptimizer(env, exports);
  return exports;
}

NODE_API_MODULE(ltlab_native, Init)
