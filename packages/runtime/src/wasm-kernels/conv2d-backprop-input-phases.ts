import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { runKernel } from './wasm-heap.js';

export interface PhaseGeometry {
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  stride: number;
  padTop: number;
  padLeft: number;
}

/**
 * The filter of the phase convolution: out[j, i, co, (rh, rw, ci)] = w[rh + s(T_h-1-j),
 * rw + s(T_w-1-i), ci, co], zero where that tap is past the filter. Built in JS: it is small.
 */
function phaseFilter(filter: Tensor, g: PhaseGeometry, th: number, tw: number): Tensor {
  const [fh, fw, ci, co] = filter.shape as [number, number, number, number];
  const s = g.stride;
  const w = filter.dataSync() as Float32Array;
  const depth = s * s * ci;
  const out = new Float32Array(th * tw * co * depth);
  for (let j = 0; j < th; j++) {
    for (let i = 0; i < tw; i++) {
      for (let rh = 0; rh < s; rh++) {
        const kh = rh + s * (th - 1 - j);
        if (kh >= fh) continue;
        for (let rw = 0; rw < s; rw++) {
          const kw = rw + s * (tw - 1 - i);
          if (kw >= fw) continue;
          const src = (kh * fw + kw) * ci * co;
          for (let c = 0; c < ci; c++) {
            for (let o = 0; o < co; o++) {
              out[((j * tw + i) * co + o) * depth + (rh * s + rw) * ci + c] = w[src + c * co + o] as number;
            }
          }
        }
      }
    }
  }
  return tf.tensor4d(out, [th, tw, co, depth]);
}

/**
 * 1x1 filter: only phase (0, 0) is non-zero, and it is dy · w^T, a plain matmul (the phase
 * filter would multiply s·s - 1 blocks of zeros).
 */
function pointwisePhases(
  dy: Tensor,
  filter: Tensor,
  s: number,
  padH: [number, number],
  padW: [number, number],
): Tensor {
  const [, , ci, co] = filter.shape as [number, number, number, number];
  const padded = tf.pad(dy, [[0, 0], padH, padW, [0, 0]]);
  const [n, h, w] = padded.shape as [number, number, number, number];
  const dx = tf.matMul(tf.reshape(padded, [n * h * w, co]), tf.reshape(filter, [ci, co]), false, true);
  return tf.reshape(
    tf.pad(dx, [
      [0, 0],
      [0, (s * s - 1) * ci],
    ]),
    [n, h, w, s * s * ci],
  );
}

/** Rows of dy a phase output row range needs: crop [begin, begin+size) then pad [before, after]. */
function axisWindow(
  outLen: number,
  taps: number,
  first: number,
  count: number,
): { begin: number; size: number; pad: [number, number] } {
  const start = first - taps + 1;
  const end = first + count;
  const begin = Math.max(0, start);
  const stop = Math.min(outLen, end);
  return { begin, size: stop - begin, pad: [begin - start, end - stop] };
}

/**
 * dx of a stride-s convolution without inserting zeros into dy. With y + top = s·q + r, only the
 * taps kh ≡ r (mod s) reach dx row y: dx[s·q + r - top] = Σ_t dy[q - t] · w[r + s·t]. One stride-1
 * convolution of dy with a T_h x T_w filter (T = ceil(f/s)) producing all s·s phases as channels
 * ([.., (rh, rw, ci)]), then DepthToSpace interleaves them and a crop removes the pad offset.
 * For a 3x3 stride-2 layer that is 16·co·ci multiply-adds per dy pixel instead of 36 on the
 * zero-inserted dy.
 */
export function conv2dBackpropInputByPhases(dy: Tensor, filter: Tensor, g: PhaseGeometry): Tensor {
  const s = g.stride;
  const th = Math.ceil(g.filterHeight / s);
  const tw = Math.ceil(g.filterWidth / s);
  const q0h = Math.floor(g.padTop / s);
  const q0w = Math.floor(g.padLeft / s);
  const countH = Math.floor((g.padTop + g.inHeight - 1) / s) - q0h + 1;
  const countW = Math.floor((g.padLeft + g.inWidth - 1) / s) - q0w + 1;
  const rows = axisWindow(g.outHeight, th, q0h, countH);
  const cols = axisWindow(g.outWidth, tw, q0w, countW);
  const pointwise = g.filterHeight === 1 && g.filterWidth === 1;
  return tf.tidy(() => {
    // Padding so large that no dy entry reaches dx.
    if (rows.size <= 0 || cols.size <= 0) {
      return tf.zeros([dy.shape[0] as number, g.inHeight, g.inWidth, filter.shape[2] as number]);
    }
    const crop = rows.begin > 0 || cols.begin > 0 || rows.size < g.outHeight || cols.size < g.outWidth;
    const window = crop ? tf.slice(dy, [0, rows.begin, cols.begin, 0], [-1, rows.size, cols.size, -1]) : dy;
    const phases = pointwise
      ? pointwisePhases(window, filter, s, rows.pad, cols.pad)
      : runKernel(
          'Conv2D',
          { x: window, filter: phaseFilter(filter, g, th, tw) },
          { strides: [1, 1], pad: [[0, 0], rows.pad, cols.pad, [0, 0]], dilations: [1, 1], dataFormat: 'NHWC' },
        );
    // DepthToSpace as one rank-4 transpose: wasm's DepthToSpace is a generic loop, ~8x slower.
    const [n, qh, qw, depth] = phases.shape as [number, number, number, number];
    const ci = depth / (s * s);
    const rowsOfPhases = tf.reshape(phases, [n * qh, qw, s, s * ci]);
    const spread = tf.reshape(tf.transpose(rowsOfPhases, [0, 2, 1, 3]), [n, qh * s, qw * s, ci]);
    const top = g.padTop - s * q0h;
    const left = g.padLeft - s * q0w;
    const exact = top === 0 && left === 0 && countH * s === g.inHeight && countW * s === g.inWidth;
    return exact ? spread : tf.slice(spread, [0, top, left, 0], [-1, g.inHeight, g.inWidth, -1]);
  });
}
