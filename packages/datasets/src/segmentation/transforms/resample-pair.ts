import { createImage, type Image } from '../../image.js';
import type { LabelMap } from '../label-map.js';

/** Source index and weight of the left/top neighbour for each output position (OpenCV INTER_LINEAR). */
function linearTaps(inSize: number, outSize: number): { index: Int32Array; weight: Float64Array } {
  const scale = inSize / outSize;
  const index = new Int32Array(outSize);
  const weight = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const position = (o + 0.5) * scale - 0.5;
    let i = Math.floor(position);
    let frac = position - i;
    // OpenCV clamps at the borders instead of reading outside: the edge pixel takes all the weight.
    if (i < 0) {
      i = 0;
      frac = 0;
    }
    if (i >= inSize - 1) {
      i = inSize - 1;
      frac = 0;
    }
    index[o] = i;
    weight[o] = frac;
  }
  return { index, weight };
}

/**
 * Bilinear resize with half-pixel centres and no antialiasing, as OpenCV's INTER_LINEAR (which
 * mmcv's imresize uses for images). OpenCV rounds 11-bit fixed-point weights; this rounds the
 * exact value, so a pixel may differ by one gray level.
 */
export function resizeBilinear(image: Image, outHeight: number, outWidth: number): Image {
  const { data, width: W, height: H, channels: C } = image;
  if (outHeight === H && outWidth === W) return image;
  const xs = linearTaps(W, outWidth);
  const ys = linearTaps(H, outHeight);
  const out = createImage(outHeight, outWidth, C);
  for (let y = 0; y < outHeight; y++) {
    const y0 = ys.index[y] as number;
    const y1 = Math.min(y0 + 1, H - 1);
    const fy = ys.weight[y] as number;
    for (let x = 0; x < outWidth; x++) {
      const x0 = xs.index[x] as number;
      const x1 = Math.min(x0 + 1, W - 1);
      const fx = xs.weight[x] as number;
      for (let c = 0; c < C; c++) {
        const top = (data[(y0 * W + x0) * C + c] as number) * (1 - fx) + (data[(y0 * W + x1) * C + c] as number) * fx;
        const bottom =
          (data[(y1 * W + x0) * C + c] as number) * (1 - fx) + (data[(y1 * W + x1) * C + c] as number) * fx;
        out.data[(y * outWidth + x) * C + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return out;
}

/**
 * Nearest-neighbour resize of a label map: output pixel (y, x) takes the input pixel that contains
 * its centre, ((y + 0.5) * H / outHeight, (x + 0.5) * W / outWidth). That is PIL's NEAREST and the
 * point resizeBilinear samples, so labels stay aligned with the image. (OpenCV's INTER_NEAREST,
 * mmcv's default, takes floor(y * H / outHeight) and shifts labels by up to half an input pixel.)
 */
export function resizeNearestLabel(label: LabelMap, outHeight: number, outWidth: number): LabelMap {
  const { data, width: W, height: H } = label;
  if (outHeight === H && outWidth === W) return label;
  const sx = Int32Array.from({ length: outWidth }, (_, x) => Math.min(Math.floor(((x + 0.5) * W) / outWidth), W - 1));
  const out = new Uint8Array(outHeight * outWidth);
  for (let y = 0; y < outHeight; y++) {
    const row = Math.min(Math.floor(((y + 0.5) * H) / outHeight), H - 1) * W;
    for (let x = 0; x < outWidth; x++) out[y * outWidth + x] = data[row + (sx[x] as number)] as number;
  }
  return { data: out, height: outHeight, width: outWidth };
}
