import { Rng, type Seed } from '@ltlab/core';

/**
 * How a tensor starts. Layers turn PyTorch's init functions into one of these rules when they
 * declare a parameter, so the fill itself knows nothing about layers:
 * - kaiming_normal_ (gain sqrt(2)): `normal` with std = sqrt(2 / fan), fan_in or fan_out;
 * - nn.Linear's default (kaiming_uniform_ with a = sqrt(5)): `uniform` with bound 1 / sqrt(fan_in),
 *   and the same bound for its bias;
 * - BatchNorm: `constant` 1 (gamma, running var) and 0 (beta, running mean);
 * - LDAM's NormedLinear (`uniform_(-1, 1).renorm_(2, 1, 1e-5).mul_(1e5)`): `uniformUnitColumns`,
 *   uniform in [-1, 1], then every column of the row-major `[rows, size / rows]` matrix scaled to
 *   unit L2 norm.
 */
export type InitRule =
  | { kind: 'normal'; std: number }
  | { kind: 'uniform'; bound: number }
  | { kind: 'uniformUnitColumns'; rows: number }
  | { kind: 'constant'; value: number };

export function kaimingNormal(fan: number): InitRule {
  return { kind: 'normal', std: Math.sqrt(2 / fan) };
}

export function pytorchLinearDefault(fanIn: number): InitRule {
  return { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) };
}

export function constant(value: number): InitRule {
  return { kind: 'constant', value };
}

/** Fills `size` values by `rule`, drawing from a generator seeded with `seed` alone. */
export function fillInit(rule: InitRule, size: number, seed: Seed): Float32Array {
  const values = new Float32Array(size);
  if (rule.kind === 'constant') {
    if (rule.value !== 0) values.fill(rule.value);
    return values;
  }
  const rng = new Rng(seed);
  if (rule.kind === 'normal') {
    for (let i = 0; i < size; i++) values[i] = rng.normal(0, rule.std);
  } else if (rule.kind === 'uniform') {
    const { bound } = rule;
    for (let i = 0; i < size; i++) values[i] = rng.uniform(-bound, bound);
  } else {
    for (let i = 0; i < size; i++) values[i] = rng.uniform(-1, 1);
    scaleColumnsToUnitNorm(values, rule.rows);
  }
  return values;
}

function scaleColumnsToUnitNorm(values: Float32Array, rows: number): void {
  const columns = values.length / rows;
  for (let c = 0; c < columns; c++) {
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += (values[r * columns + c] as number) ** 2;
    const scale = 1 / Math.max(Math.sqrt(squares), 1e-12);
    for (let r = 0; r < rows; r++) values[r * columns + c] = (values[r * columns + c] as number) * scale;
  }
}
