import { html } from '../html.js';

/**
 * Each row (a true class) divided by its total: the share of that class's test images given
 * each prediction, so a 10-image tail class reads on the same 0–1 scale as a 1,000-image head
 * class. A row with no images stays all zeros.
 */
export function rowNormalise(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/** Plot margins in px, fixed so a cell's place on the canvas is known (tests hover cells). */
export const CONFUSION_GRID = { left: 110, right: 80, top: 20, bottom: 95 } as const;

/** A row-normalised confusion heatmap with class names on both axes and the counts in the tooltip. */
export function confusionOption(matrix: readonly (readonly number[])[], classNames: readonly string[]) {
  const shares = rowNormalise(matrix);
  const names = matrix.map((_, c) => classNames[c] ?? String(c));
  const small = matrix.length <= 12;
  return {
    tooltip: {
      formatter: (params: unknown) => {
        const [predicted, truth] = (params as { data: [number, number, number] }).data;
        const count = matrix[truth]?.[predicted] ?? 0;
        const total = (matrix[truth] ?? []).reduce((s, v) => s + v, 0);
        const share = shares[truth]?.[predicted] ?? 0;
        return html`${names[truth] ?? ''} → ${names[predicted] ?? ''}: ${(100 * share).toFixed(1)}% (${count} of ${total})`;
      },
    },
    grid: { ...CONFUSION_GRID },
    xAxis: {
      type: 'category',
      name: 'predicted',
      nameLocation: 'middle',
      nameGap: 80,
      data: names,
      axisLabel: { rotate: 45, interval: 0 },
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      name: 'true',
      nameLocation: 'middle',
      nameGap: 95,
      inverse: true,
      data: names,
      axisLabel: { interval: 0 },
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max: 1,
      orient: 'vertical',
      right: 5,
      top: 'middle',
      itemHeight: 160,
      text: ['100%', '0%'],
      inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] },
    },
    series: [
      {
        name: 'share of the true class',
        type: 'heatmap',
        data: shares.flatMap((row, truth) => row.map((share, predicted) => [predicted, truth, share])),
        label: {
          show: small,
          formatter: (params: unknown) => {
            const share = (params as { data: [number, number, number] }).data[2];
            return share >= 0.005 ? String(Math.round(100 * share)) : '';
          },
          fontSize: 10,
          color: '#111',
          textBorderColor: '#fff',
          textBorderWidth: 2,
        },
      },
    ],
  };
}
