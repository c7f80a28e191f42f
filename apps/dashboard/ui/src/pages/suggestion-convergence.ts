// No import of ../api.js: this file is also typechecked and tested without the DOM.
import type { RunSuggestion, Wire } from '@ltlab/store/wire';

interface Point {
  label: string;
  objective: number | null;
  suggestion: Wire<RunSuggestion> | null;
}

/** [suggestion index, objective, run label]: one scored run. */
export type SuggestionPoint = [number, number, string];

export interface SuggestionConvergence {
  /** Random draws made before `startup` results were in. */
  startup: SuggestionPoint[];
  /** Suggestions chosen by the Parzen estimators. */
  model: SuggestionPoint[];
  /** [index, best objective among the scored suggestions up to it], one per scored run. */
  best: Array<[number, number]>;
}

/**
 * The "suggestions converging" figure of a TPE sweep (docs/architecture.md §5.2): each scored
 * run's objective against its suggestion index, start-up draws apart from model-based ones, and
 * the running best in suggestion order (by the sweep's mode). Null when no run was suggested by
 * a search (not a TPE sweep, or one stored before suggestions were recorded).
 */
export function suggestionConvergence(points: readonly Point[], mode: 'max' | 'min'): SuggestionConvergence | null {
  const suggested = points.filter((p) => p.suggestion !== null);
  if (suggested.length === 0) return null;
  const scored = suggested
    .flatMap(
      (p): Array<{ point: SuggestionPoint; startup: boolean }> =>
        p.objective === null || p.suggestion === null
          ? []
          : [{ point: [p.suggestion.index, p.objective, p.label], startup: p.suggestion.algorithm === 'tpe-startup' }],
    )
    .sort((a, b) => a.point[0] - b.point[0]);
  const best: Array<[number, number]> = [];
  let so: number | null = null;
  for (const { point } of scored) {
    const value = point[1];
    so = so === null ? value : mode === 'max' ? Math.max(so, value) : Math.min(so, value);
    best.push([point[0], so]);
  }
  return {
    startup: scored.filter((s) => s.startup).map((s) => s.point),
    model: scored.filter((s) => !s.startup).map((s) => s.point),
    best,
  };
}
