import { relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

/**
 * Ends every run with the plain line `N passed, N failed[, N skipped]`, which CI reads to tell a
 * run that tested something from one that tested nothing. A test file whose worker process died
 * (a crash in native code, the OOM killer) leaves every one of its tests pending and vitest names
 * no file in its "Worker exited unexpectedly" error: this reporter names each such file and
 * counts its tests as failed.
 */
export default class SummaryLineReporter implements Reporter {
  private root = process.cwd();

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const unfinished: string[] = [];
    for (const testModule of testModules) {
      const tests = [...testModule.children.allTests()];
      const moduleState = testModule.state();
      if (moduleState === 'pending' || moduleState === 'queued') {
        unfinished.push(`${relative(this.root, testModule.moduleId)} (${tests.length} tests)`);
        failed += Math.max(1, tests.length);
        continue;
      }
      let failedHere = 0;
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file that fails to load, or a failing beforeAll that skips its tests, fails no test
      // itself: count the file once so the line never says 0 failed for a failed run.
      if (moduleState === 'failed' && failedHere === 0) failedHere = 1;
      failed += failedHere;
    }
    failed += unhandledErrors.length;
    for (const file of unfinished) process.stdout.write(`\ndid not finish (its test worker exited): ${file}`);
    const skippedPart = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed${skippedPart}\n`);
  }
}
