// Shared helpers of the ltlab native addon: argument access, the oneDNN engine and stream, a
// bounded primitive cache and the thread count. See packages/runtime/README.md ("native").
#pragma once

#include <napi.h>

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <dnnl.hpp>

#if DNNL_VERSION_MAJOR != 2
#error "ltlab's native backend is written against oneDNN 2.x (Debian bookworm's libdnnl-dev 2.6)."
#endif

namespace ltlab {

/** The data of a Float32Array argument (zero-copy: the addon works in place on JS memory). */
inline float* F32(const Napi::CallbackInfo& info, size_t i) {
  auto array = info[i].As<Napi::TypedArrayOf<float>>();
  return array.Data();
}

inline size_t Length(const Napi::CallbackInfo& info, size_t i) {
  return info[i].As<Napi::TypedArray>().ElementLength();
}

/** An Int32Array of shape/parameter values, copied out (small). */
inline std::vector<int64_t> Ints(const Napi::CallbackInfo& info, size_t i) {
  auto array = info[i].As<Napi::TypedArrayOf<int32_t>>();
  return std::vector<int64_t>(array.Data(), array.Data() + array.ElementLength());
}

inline int Int(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }
inline float Float(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().FloatValue(); }

dnnl::engine& Engine();
dnnl::stream& Stream();

/** Threads used by oneDNN and by the addon's own loops (OpenMP). */
int Threads();

/** Below this many elements the addon's own loops run on one thread (a fork-join costs microseconds). */
constexpr int64_t kParallelMin = 1 << 15;

/** A cache key from integer parameters. */
inline std::string Key(const char* kind, const std::vector<int64_t>& values) {
  std::string key(kind);
  for (int64_t v : values) {
    key += ':';
    key += std::to_string(v);
  }
  return key;
}

/**
 * A least-recently-used cache of built primitives: building a primitive descriptor costs tens of
 * microseconds to milliseconds, a training step reuses the same few dozen shapes.
 */
template <typename T>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  template <typename Make>
  std::shared_ptr<T> Get(const std::string& key, Make make) {
    auto found = index_.find(key);
    if (found != index_.end()) {
      order_.splice(order_.begin(), order_, found->second);
      return found->second->second;
    }
    auto value = std::make_shared<T>(make());
    order_.emplace_front(key, value);
    index_[key] = order_.begin();
    if (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    return value;
  }

  size_t Size() const { return order_.size(); }
  void Clear() {
    order_.clear();
    index_.clear();
  }

 private:
  size_t capacity_;
  std::list<std::pair<std::string, std::shared_ptr<T>>> order_;
  std::unordered_map<std::string, typename std::list<std::pair<std::string, std::shared_ptr<T>>>::iterator> index_;
};

/** Entries per kernel family; a step of the largest model uses well under this many shapes. */
constexpr size_t kCacheCapacity = 256;

/** Runs `body`, turning a oneDNN or standard exception into a JS Error. */
template <typename Body>
Napi::Value Guard(const Napi::CallbackInfo& info, Body body) {
  try {
    body();
  } catch (const dnnl::error& e) {
    Napi::Error::New(info.Env(), std::string("oneDNN: ") + e.what()).ThrowAsJavaScriptException();
  } catch (const std::exception& e) {
    Napi::Error::New(info.Env(), e.what()).ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}

// Each kernel family registers its functions on the module's exports.
void InitConv(Napi::Env env, Napi::Object exports);
void InitMatMul(Napi::Env env, Napi::Object exports);
void InitBatchNorm(Napi::Env env, Napi::Object exports);
void InitPool(Napi::Env env, Napi::Object exports);
void InitElementwise(Napi::Env env, Napi::Object exports);
void InitReduce(Napi::Env env, Napi::Object exports);
void InitOptimizer(Napi::Env env, Napi::Object exports);

// Each family's primitive cache, for the addon's statistics and for clearing.
size_t ConvCacheSize();
size_t PoolCacheSize();
size_t BatchNormCacheSize();
void ClearConvCache();
void ClearPoolCache();
void ClearBatchNormCache();

}  // namespace ltlab
