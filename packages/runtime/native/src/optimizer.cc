// Parameter updates in one pass each: SGD with momentum (torch.optim.SGD, dampening 0) and the
// exponential moving average that batch norm keeps of its statistics. Composed from tfjs ops
// these are 3-6 kernel launches per parameter (about 500 per ResNet-32 step, 40 us each); here
// one. Every float operation happens in the composed order, in float32, without fused
// multiply-adds (the build does not enable FMA), so the results equal the composed ops bit for bit.
#include "common.h"

namespace ltlab {
namespace {

/**
 * sgdUpdate(param, grad, buffer | null, paramOut, bufferOut | null, lr, momentum, decay, nesterov)
 *   g = grad + param · decay            (decay 0: g = grad)
 *   buf = buffer · momentum + g          (momentum > 0; a null buffer reads as zeros)
 *   step = nesterov ? g + buf · momentum : buf   (momentum 0: step = g)
 *   paramOut = param - step · lr
 */
Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const float* param = F32(info, 0);
    const float* grad = F32(info, 1);
    const bool has_buffer = !info[2].IsNull();
    const float* buffer = has_buffer ? F32(info, 2) : nullptr;
    float* param_out = F32(info, 3);
    const bool with_momentum = !info[4].IsNull();
    float* buffer_out = with_momentum ? F32(info, 4) : nullptr;
    const float lr = Float(info, 5), momentum = Float(info, 6), decay = Float(info, 7);
    const bool nesterov = info[8].As<Napi::Boolean>().Value();
    const int64_t n = static_cast<int64_t>(Length(info, 3));
    if (static_cast<int64_t>(Length(info, 1)) != n || static_cast<int64_t>(Length(info, 0)) != n ||
        (has_buffer && static_cast<int64_t>(Length(info, 2)) != n) ||
        (with_momentum && static_cast<int64_t>(Length(info, 4)) != n))
      throw std::invalid_argument("sgdUpdate: arrays differ in length");
    const bool decayed = decay != 0.f;
#pragma omp parallel for if (n >= kParallelMin) schedule(static)
    for (int64_t i = 0; i < n; i++) {
      float g = grad[i];
      if (decayed) {
        const float d = param[i] * decay;
        g = g + d;
      }
      float step = g;
      if (with_momentum) {
        const float kept = (has_buffer ? buffer[i] : 0.f) * momentum;
        const float buf = kept + g;
        buffer_out[i] = buf;
        if (nesterov) {
          const float ahead = buf * momentum;
          step = g + ahead;
        } else {
          step = buf;
        }
      }
      const float delta = step * lr;
      param_out[i] = param[i] - delta;
    }
  });
}

/**
 * movingAverage(running, value, out, keep, take, scale): out = running · keep + (value · scale) · take,
 * batch norm's running statistics with keep = 1 - momentum, take = momentum and scale n / (n - 1)
 * for the unbiased variance (1 for the mean, where value · 1 is exact).
 */
Napi::Value MovingAverage(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const float* running = F32(info, 0);
    const float* value = F32(info, 1);
    float* out = F32(info, 2);
    const float keep = Float(info, 3), take = Float(info, 4), scale = Float(info, 5);
    const int64_t n = static_cast<int64_t>(Length(info, 2));
    if (static_cast<int64_t>(Length(info, 0)) != n || static_cast<int64_t>(Length(info, 1)) != n)
      throw std::invalid_argument("movingAverage: arrays differ in length");
    for (int64_t i = 0; i < n; i++) {
      const float scaled = value[i] * scale;
      const float a = running[i] * keep;
      const float b = scaled * take;
      out[i] = a + b;
    }
  });
}

}  // namespace

void InitOptimizer(Napi::Env env, Napi::Object exports) {
  exports.Set("sgdUpdate", Napi::Function::New(env, SgdUpdate));
  exports.Set("movingAverage", Napi::Function::New(env, MovingAverage));
}

}  // namespace ltlab
