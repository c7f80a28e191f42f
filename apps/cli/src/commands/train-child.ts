/** Internal: the trainer child a worker starts for each job (stdin: job JSON, stdout: events). */
export async function trainChildCommand(): Promise<number> {
  const { runTrainerChild } = await import('@ltlab/train');
  return runTrainerChild({ stdin: process.stdin, stdout: process.stdout });
}
