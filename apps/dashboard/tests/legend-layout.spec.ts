import { describe, expect, it } from 'vitest';
import { fitLegend } from '../ui/src/legend-layout.js';

describe('legend layout', () => {
  it('puts the legend in its own scrolling row under the title and the plot under both', () => {
    const fitted = fitLegend({
      title: { text: 'loss' },
      legend: { type: 'plain', top: 20, bottom: 0 },
      grid: { left: 55, top: 30 },
      yAxis: { type: 'value' },
    });
    expect(fitted.legend).toMatchObject({ type: 'scroll', orient: 'horizontal', top: 28, bottom: undefined });
    expect(fitted.legend).toMatchObject({ textStyle: { overflow: 'truncate' }, tooltip: { show: true } });
    expect(fitted.grid).toEqual({ left: 55, top: 28 + 26 + 10 });
  });

  it('leaves room for a y-axis name above the axis, and keeps a larger top margin', () => {
    expect(fitLegend({ legend: {}, yAxis: [{ name: 'accuracy' }, { name: 'count' }] }).grid).toEqual({ top: 54 });
    expect(fitLegend({ legend: {}, yAxis: { name: 'n', nameLocation: 'middle' } }).grid).toEqual({ top: 36 });
    expect(fitLegend({ legend: {}, grid: { top: 90 } }).grid).toEqual({ top: 90 });
  });

  it('moves parallel coordinates down instead of a grid', () => {
    expect(fitLegend({ legend: {}, parallel: { top: 10 } })).toMatchObject({ parallel: { top: 36 } });
  });

  it('leaves charts without a legend alone', () => {
    const option = { title: { text: 'x' }, grid: { top: 5 } };
    expect(fitLegend(option)).toBe(option);
    const hidden = { legend: { show: false } };
    expect(fitLegend(hidden)).toBe(hidden);
  });
});
