import { importTrainingPackage } from '../training-packages.js';

/**
 * Internal: the process `ltlab doctor` starts to probe the backends (it loads TF.js, the native
 * addon and Dawn, which the CLI process must not). Writes the report as one JSON line on stdout.
 */
export async function doctorChildCommand(): Promise<number> {
  const { backendReportSchema, diagnoseBackends } = await importTrainingPackage(
    '@ltlab/runtime',
    'ltlab doctor',
    () => import('@ltlab/runtime'),
  );
  // Validated here, so the CLI can print it as is.
  const report = backendReportSchema.parse(await diagnoseBackends());
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return 0;
}
