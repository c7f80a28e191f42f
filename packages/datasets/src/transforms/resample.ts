import { createImage, type Image } from '../image.js';

/** A rectangle of an image in pixels. */
export interface Box {
  top: number;
  left: number;
  height: number;
  width: number;
}

export type Interpolation = 'nearest' | 'bilinear' | 'bicubic';

/** Per-output-pixel input window and normalised weights along one axis. */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  stride: number;
}

/**
 * Triangle-filter weights whose support widens with the downscale factor: the antialiased bilinear
 * resampling of PIL's `Image.resize(box=...)`, which torchvision uses for PIL images.
 */
function axisWeights(inSize: number, boxStart: number, boxLength: number, outSize: number): AxisWeights {
  const scale = boxLength / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const stride = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * stride);
  for (let i = 0; i < outSize; i++) {
    const center = boxStart + (i + 0.5) * scale;
    const lo = Math.max(Math.floor(center - support + 0.5), 0);
    const hi = Math.min(Math.floor(center + support + 0.5), inSize);
    let total = 0;
    const n = Math.min(hi - lo, stride);
    for (let k = 0; k < n; k++) {
      const w = Math.max(0, 1 - Math.abs((lo + k + 0.5 - center) / filterScale));
      weights[i * stride + k] = w;
      total += w;
    }
    if (total > 0) for (let k = 0; k < n; k++) weights[i * stride + k] = (weights[i * stride + k] as number) / total;
    start[i] = lo;
    count[i] = n;
  }
  return { start, count, weights, stride };
}

/** Resizes `box` of `image` to outHeight x outWidth (antialiased bilinear). */
export function resizeBox(image: Image, box: Box, outHeight: number, outWidth: number): Image {
  const { data, width, height, channels: C } = image;
  const wx = axisWeights(width, box.left, box.width, outWidth);
  const wy = axisWeights(height, box.top, box.height, outHeight);
  // Horizontal pass over the rows the vertical pass reads.
  const rowLo = wy.start[0] as number;
  const rowHi = (wy.start[outHeight - 1] as number) + (wy.count[outHeight - 1] as number);
  const tmp = new Float64Array((rowHi - rowLo) * outWidth * C);
  for (let y = rowLo; y < rowHi; y++) {
    for (let x = 0; x < outWidth; x++) {
      const s = wx.start[x] as number;
      const n = wx.count[x] as number;
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let k = 0; k < n; k++)
          acc += (wx.weights[x * wx.stride + k] as number) * (data[(y * width + s + k) * C + c] as number);
        tmp[((y - rowLo) * outWidth + x) * C + c] = acc;
      }
    }
  }
  const out = createImage(outHeight, outWidth, C);
  for (let y = 0; y < outHeight; y++) {
    const s = (wy.start[y] as number) - rowLo;
    const n = wy.count[y] as number;
    for (let x = 0; x < outWidth; x++) {
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let k = 0; k < n; k++)
          acc += (wy.weights[y * wy.stride + k] as number) * (tmp[((s + k) * outWidth + x) * C + c] as number);
        out.data[(y * outWidth + x) * C + c] = Math.min(255, Math.max(0, Math.round(acc)));
      }
    }
  }
  return out;
}

export function resize(image: Image, outHeight: number, outWidth: number): Image {
  if (outHeight === image.height && outWidth === image.width) return image;
  return resizeBox(image, { top: 0, left: 0, height: image.height, width: image.width }, outHeight, outWidth);
}

/** Copies `box`; parts outside the image take `fill`. */
export function crop(image: Image, box: Box, fill: readonly number[] = [0]): Image {
  const { data, width, height, channels: C } = image;
  const out = createImage(box.height, box.width, C);
  for (let y = 0; y < box.height; y++) {
    const sy = y + box.top;
    for (let x = 0; x < box.width; x++) {
      const sx = x + box.left;
      const inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
      for (let c = 0; c < C; c++) {
        out.data[(y * box.width + x) * C + c] = inside
          ? (data[(sy * width + sx) * C + c] as number)
          : ((fill[c] ?? fill[0] ?? 0) as number);
      }
    }
  }
  return out;
}

function cubic(x: number): number {
  // Keys' kernel with a = -0.5, as PIL's bicubic.
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0;
}

/**
 * PIL's `Image.transform(size, AFFINE, (a, b, c, d, e, f))`: output pixel (x, y) takes the input
 * at (a x + b y + c, d x + e y + f) measured at pixel centres; outside the input it is `fill`.
 */
export function affine(
  image: Image,
  matrix: readonly [number, number, number, number, number, number],
  interpolation: Interpolation,
  fill: readonly number[],
): Image {
  const { data, width: W, height: H, channels: C } = image;
  const [a, b, c0, d, e, f0] = matrix;
  const out = createImage(H, W, C);
  const at = (yy: number, xx: number, ch: number) => {
    const cy = yy < 0 ? 0 : yy >= H ? H - 1 : yy;
    const cx = xx < 0 ? 0 : xx >= W ? W - 1 : xx;
    return data[(cy * W + cx) * C + ch] as number;
  };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const xin = a * (x + 0.5) + b * (y + 0.5) + c0;
      const yin = d * (x + 0.5) + e * (y + 0.5) + f0;
      const o = (y * W + x) * C;
      if (!(xin >= 0 && xin < W && yin >= 0 && yin < H)) {
        for (let ch = 0; ch < C; ch++) out.data[o + ch] = (fill[ch] ?? fill[0] ?? 0) as number;
        continue;
      }
      if (interpolation === 'nearest') {
        const sx = Math.floor(xin);
        const sy = Math.floor(yin);
        for (let ch = 0; ch < C; ch++) out.data[o + ch] = data[(sy * W + sx) * C + ch] as number;
        continue;
      }
      const u = xin - 0.5;
      const v = yin - 0.5;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      for (let ch = 0; ch < C; ch++) {
        let value: number;
        if (interpolation === 'bilinear') {
          const top = at(y0, x0, ch) * (1 - fx) + at(y0, x0 + 1, ch) * fx;
          const bottom = at(y0 + 1, x0, ch) * (1 - fx) + at(y0 + 1, x0 + 1, ch) * fx;
          value = top * (1 - fy) + bottom * fy;
        } else {
          value = 0;
          for (let j = -1; j <= 2; j++) {
            const wyj = cubic(fy - j);
            let row = 0;
            for (let i = -1; i <= 2; i++) row += cubic(fx - i) * at(y0 + j, x0 + i, ch);
            value += wyj * row;
          }
        }
        out.data[o + ch] = Math.min(255, Math.max(0, Math.round(value)));
      }
    }
  }
  return out;
}

/** PIL's `rotate(degrees)`: counter-clockwise about the image centre, same size. */
export function rotate(image: Image, degrees: number, interpolation: Interpolation, fill: readonly number[]): Image {
  const theta = (-degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cx = image.width / 2;
  const cy = image.height / 2;
  // Inverse map about the centre: in = R(theta) (out - centre) + centre.
  const a = cos;
  const b = sin;
  const d = -sin;
  const e = cos;
  return affine(image, [a, b, cx - a * cx - b * cy, d, e, cy - d * cx - e * cy], interpolation, fill);
}

/** Fill colour for `channels`: RGB as given, gray as its luma. */
export function fillFor(rgb: readonly number[], channels: number): number[] {
  if (channels === 3) return [...rgb];
  const [r = 0, g = r, b = r] = rgb;
  return [Math.round(0.299 * r + 0.587 * g + 0.114 * b)];
}
