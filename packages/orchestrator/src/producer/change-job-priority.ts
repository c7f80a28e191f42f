import type { Queue } from 'bullmq';
import type { RunJob } from '../queue/payloads.js';

/** False when the job is gone (taken and finished meanwhile). */
export async function changeJobPriority(runs: Queue<RunJob>, jobId: string, priority: number): Promise<boolean> {
  const job = await runs.getJob(jobId);
  if (job === undefined) return false;
  try {
    await job.changePriority({ priority });
    return true;
  } catch (error) {
    if ((await runs.getJob(jobId)) === undefined) return false;
    throw error;
  }
}
