// No import of ../api.js: this file is also typechecked and tested without the DOM.
import type { CellValue as Cell } from '@ltlab/store/wire';

/** How a run that lacks a swept leaf (a variant that does not set it) is shown. */
export const ABSENT = '—';

export type Axis = { kind: 'value' } | { kind: 'category'; categories: string[] };

interface Point {
  values: Record<string, Cell>;
}

/**
 * Leaves every run has first (in a variants sweep, `method.loss` before the options only one
 * method sets), alphabetical within each part, so the first axes are the ones all runs share.
 */
export function orderSwept(keys: readonly string[], points: readonly Point[]): string[] {
  const absent = (key: string) => points.filter((p) => p.values[key] === null || p.values[key] === undefined).length;
  return keys
    .map((key) => ({ key, missing: absent(key) > 0 }))
    .sort((a, b) => Number(a.missing) - Number(b.missing) || a.key.localeCompare(b.key))
    .map(({ key }) => key);
}

export function categoryOf(value: Cell | undefined): string {
  return value === null || value === undefined ? ABSENT : String(value);
}

/**
 * A value axis when every run has a number; otherwise categories, `—` first for runs without
 * the leaf (a null on a value axis would drop the run's line), then numbers ascending or the
 * other values in order of appearance.
 */
export function axisOf(key: string, points: readonly Point[]): Axis {
  const values = points.map((p) => p.values[key] ?? null);
  if (values.length > 0 && values.every((v) => typeof v === 'number')) return { kind: 'value' };
  const present = values.filter((v) => v !== null);
  const ordered = present.every((v) => typeof v === 'number')
    ? [...new Set(present as number[])].sort((a, b) => a - b).map(String)
    : [...new Set(present.map(String))];
  return { kind: 'category', categories: present.length < values.length ? [ABSENT, ...ordered] : ordered };
}

/** The value to plot for a run on an axis: the number itself, or its category. */
export function plotted(axis: Axis, value: Cell | undefined): Cell {
  return axis.kind === 'value' ? (value ?? null) : categoryOf(value);
}
