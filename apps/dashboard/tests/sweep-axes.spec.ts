import { describe, expect, it } from 'vitest';
import { ABSENT, axisOf, orderSwept, plotted } from '../ui/src/pages/sweep-axes.js';

const points = [
  { values: { 'method.loss': 'ce', 'method.options.beta': null, lr: 0.1, 'method.options.s': null } },
  { values: { 'method.loss': 'reslt', 'method.options.beta': 0.99, lr: 0.2, 'method.options.s': null } },
  { values: { 'method.loss': 'ldam', 'method.options.beta': null, lr: 0.05, 'method.options.s': 30 } },
];

describe('sweep page axes', () => {
  it('puts the leaves every run has first', () => {
    expect(orderSwept(['method.options.s', 'method.options.beta', 'method.loss', 'lr'], points)).toEqual([
      'lr',
      'method.loss',
      'method.options.beta',
      'method.options.s',
    ]);
  });

  it('draws numbers on a value axis, and leaves some runs lack as categories with "—"', () => {
    expect(axisOf('lr', points)).toEqual({ kind: 'value' });
    expect(axisOf('method.loss', points)).toEqual({ kind: 'category', categories: ['ce', 'reslt', 'ldam'] });
    const beta = axisOf('method.options.beta', points);
    expect(beta).toEqual({ kind: 'category', categories: [ABSENT, '0.99'] });
    expect(points.map((p) => plotted(beta, p.values['method.options.beta']))).toEqual([ABSENT, '0.99', ABSENT]);
    expect(axisOf('missing.everywhere', points)).toEqual({ kind: 'category', categories: [ABSENT] });
  });

  it('orders numeric categories by value', () => {
    const mixed = [{ values: { x: 10 } }, { values: { x: null } }, { values: { x: 2 } }];
    expect(axisOf('x', mixed)).toEqual({ kind: 'category', categories: [ABSENT, '2', '10'] });
  });
});
