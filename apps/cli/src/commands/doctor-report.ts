import type { BackendDiagnosis, BackendReport } from '@ltlab/runtime';
import { wrap } from '../help-format.js';

const BACKEND_COLUMN = 16;
const LOADS_COLUMN = 7;

/**
 * `ltlab doctor`'s text: one row per backend in auto order (prose wrapped to `width`, fix lines
 * kept whole so they can be copied), then what auto and LTLAB_BACKEND pick, then the settings.
 */
export function formatDoctorReport(report: BackendReport, width = 100): string {
  const { host, backends } = report;
  const loading = backends.filter((d) => d.available);
  const indent = ' '.repeat(BACKEND_COLUMN + LOADS_COLUMN);
  const prose = Math.max(40, width - indent.length);
  const lines = [
    `TF.js backends on this machine (CPU: ${host.cpu} x${host.cores}, Node ${host.node}, ${host.platform}), in the order auto tries them:`,
    '',
    `${'backend'.padEnd(BACKEND_COLUMN)}${'loads'.padEnd(LOADS_COLUMN)}detail / fix`,
    `${'-'.repeat(BACKEND_COLUMN - 2)}  ${'-'.repeat(LOADS_COLUMN - 2)}  ${'-'.repeat(Math.min(prose, 60))}`,
  ];
  for (const diagnosis of backends) {
    const [first = '', ...rest] = wrap(diagnosis.detail, prose);
    lines.push(
      `${diagnosis.backend.padEnd(BACKEND_COLUMN)}${(diagnosis.available ? 'yes' : 'no').padEnd(LOADS_COLUMN)}${first}`,
    );
    for (const line of rest) lines.push(`${indent}${line}`);
    for (const adapter of diagnosis.adapters ?? []) {
      for (const line of wrap(describeAdapter(adapter), prose - 2)) lines.push(`${indent}${line}`);
    }
    for (const fix of diagnosis.fix) lines.push(`${indent}fix: ${fix}`);
  }
  const auto = report.auto.backend;
  const requested = report.env.find((e) => e.name === 'LTLAB_BACKEND')?.value ?? null;
  const choice =
    requested === null || requested === ''
      ? `LTLAB_BACKEND is unset, so \`ltlab train\` and the workers train on ${auto ?? 'nothing'}.`
      : report.requested.backend === null
        ? `${report.requested.detail}.`
        : `LTLAB_BACKEND=${requested}, so \`ltlab train\` and the workers train on ${report.requested.backend}.`;
  lines.push(
    '',
    ...wrap(
      auto === null
        ? `auto picks none: ${report.auto.reason.replace(/^auto: none loads;? ?/, '')}`
        : `auto picks: ${auto} (the first that loads; webgpu only on a hardware adapter)`,
      width,
    ),
    ...wrap(choice, width),
  );
  lines.push('', 'Settings that change the choice (env):');
  const values = report.env.map((e) => (e.value === null ? 'unset' : `=${JSON.stringify(e.value)}`));
  const nameWidth = Math.max(...report.env.map((e) => e.name.length)) + 2;
  const valueWidth = Math.max(10, ...values.map((v) => v.length + 2));
  for (const [i, setting] of report.env.entries()) {
    const head = `  ${setting.name.padEnd(nameWidth)}${(values[i] ?? '').padEnd(valueWidth)}`;
    const column = Math.max(40, width - head.length);
    const [first = '', ...rest] = wrap(setting.effect, column);
    if (setting.problem !== null) rest.push(...wrap(`INVALID: ${setting.problem}`, column));
    lines.push(`${head}${first}`);
    for (const line of rest) lines.push(`${' '.repeat(head.length)}${line}`);
  }
  const uses = report.requested.backend ?? 'none (see above)';
  lines.push(
    '',
    `${loading.length} of ${backends.length} backends load here (${loading.map((d) => d.backend).join(', ') || 'none'}); training uses ${uses}.`,
  );
  return lines.join('\n');
}

function describeAdapter(adapter: NonNullable<BackendDiagnosis['adapters']>[number]): string {
  const what =
    adapter.problem !== null
      ? `cannot be opened: ${adapter.problem}${adapter.fix === null ? '' : ` Fix: ${adapter.fix}`}`
      : `${adapter.kind}; vendor ${adapter.vendor || '?'}, architecture ${adapter.architecture || '?'}, "${adapter.description}"`;
  return `adapter ${adapter.index}: ${adapter.name}, ${what}`;
}
