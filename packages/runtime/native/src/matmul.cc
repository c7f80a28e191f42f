// Batched matrix products on oneDNN's sgemm (row-major, optional transposes), with the bias and
// ReLU of TF.js's _FusedMatMul applied in the same call.
#include "common.h"

namespace ltlab {
namespace {

/**
 * matMul(a, b, out, params: Int32Array [batch, m, n, k, transposeA, transposeB, aBatchStride,
 *        bBatchStride], bias: Float32Array(n) | null, activation: 0 none | 1 relu)
 * A batch stride of 0 broadcasts that operand over the batch.
 */
Napi::Value MatMul(const Napi::CallbackInfo& info) {
  return Guard(info, [&] {
    const float* a = F32(info, 0);
    const float* b = F32(info, 1);
    float* out = F32(info, 2);
    const auto p = Ints(info, 3);
    if (p.size() != 8) throw std::invalid_argument("matMul: expected 8 parameters");
    const int64_t batch = p[0], m = p[1], n = p[2], k = p[3];
    const bool ta = p[4] != 0, tb = p[5] != 0;
    const int64_t a_stride = p[6], b_stride = p[7];
    const float* bias = info[4].IsNull() || info[4].IsUndefined() ? nullptr : F32(info, 4);
    const int activation = Int(info, 5);
    for (int64_t i = 0; i < batch; i++) {
      float* c = out + i * m * n;
      dnnl_status_t status = dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.f, a + i * a_stride, ta ? m : k,
                                        b + i * b_stride, tb ? k : n, 0.f, c, n);
      if (status != dnnl_success) throw std::runtime_error("dnnl_sgemm failed");
      if (bias == nullptr && activation == 0) continue;
#pragma omp parallel for if (m * n > 65536)
      for (int64_t r = 0; r < m; r++) {
        float* row = c + r * n;
        if (bias != nullptr)
          for (int64_t j = 0; j < n; j++) row[j] += bias[j];
        if (activation == 1)
          for (int64_t j = 0; j < n; j++) row[j] = row[j] > 0.f ? row[j] : 0.f;
      }
    }
  });
}

}  // namespace

void InitMatMul(Napi::Env env, Napi::Object exports) { exports.Set("matMul", Napi::Function::New(env, MatMul)); }

}  // namespace ltlab
