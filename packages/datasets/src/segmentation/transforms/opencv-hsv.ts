// OpenCV's 8-bit HSV conversion (cv2.COLOR_RGB2HSV / COLOR_HSV2RGB), which mmcv's bgr2hsv and
// hsv2bgr call: H is the hue in degrees / 2 (0..179), S and V are 0..255.

const SHIFT = 12;
const HALF = 1 << (SHIFT - 1);
// OpenCV's division tables, rounded as cv::saturate_cast<int> rounds (to nearest).
const SATURATION_DIV = Int32Array.from({ length: 256 }, (_, v) => (v === 0 ? 0 : Math.round((255 << SHIFT) / v)));
const HUE_DIV = Int32Array.from({ length: 256 }, (_, d) => (d === 0 ? 0 : Math.round((180 << SHIFT) / (6 * d))));

/** RGB pixels (3 bytes each) to OpenCV 8-bit HSV, with its fixed-point arithmetic. */
export function rgbToHsv(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    const r = rgb[i] as number;
    const g = rgb[i + 1] as number;
    const b = rgb[i + 2] as number;
    const v = Math.max(r, g, b);
    const diff = v - Math.min(r, g, b);
    const s = (diff * (SATURATION_DIV[v] as number) + HALF) >> SHIFT;
    let h = v === r ? g - b : v === g ? b - r + 2 * diff : r - g + 4 * diff;
    h = (h * (HUE_DIV[diff] as number) + HALF) >> SHIFT;
    if (h < 0) h += 180;
    out[i] = h;
    out[i + 1] = s;
    out[i + 2] = v;
  }
  return out;
}

/** OpenCV 8-bit HSV back to RGB: the float conversion on H*2 degrees, S/255, V/255, rounded. */
export function hsvToRgb(hsv: Uint8Array): Uint8Array {
  const out = new Uint8Array(hsv.length);
  for (let i = 0; i < hsv.length; i += 3) {
    const s = (hsv[i + 1] as number) / 255;
    const v = (hsv[i + 2] as number) / 255;
    let r = v;
    let g = v;
    let b = v;
    if (s !== 0) {
      let h = ((hsv[i] as number) * 6) / 180;
      h %= 6;
      let sector = Math.floor(h);
      h -= sector;
      if (sector < 0 || sector >= 6) {
        sector = 0;
        h = 0;
      }
      const p = v * (1 - s);
      const q = v * (1 - s * h);
      const t = v * (1 - s * (1 - h));
      [r, g, b] = (
        [
          [v, t, p],
          [q, v, p],
          [p, v, t],
          [p, q, v],
          [t, p, v],
          [v, p, q],
        ] as const
      )[sector] as readonly [number, number, number];
    }
    out[i] = Math.round(r * 255);
    out[i + 1] = Math.round(g * 255);
    out[i + 2] = Math.round(b * 255);
  }
  return out;
}
