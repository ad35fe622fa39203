/**
 * Prints why each skipped test was skipped, then one plain closing line, "N passed, N failed,
 * N skipped", after vitest's own summary, so tools that read the last line of a test run (CI) see
 * the counts without parsing vitest's format. A skip's reason is the note of `ctx.skip(note)`, or
 * the part of its name in brackets / parentheses that says why (`[skipped: no display]`,
 * `(skipped when dataset-fashion-mnist is not installed)`), as the suite's skipIf tests name it.
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';

const NAMED_REASON = /\s*(?:\[(?:skipped:\s*)?([^\]]+)\]|\(((?:skipped|runs only)[^)]*)\)|\(([A-Z][A-Z0-9_]*=[^)]*)\))/;

/** The test's title without its reason, and the reason it gives (or a hint that it gives none). */
export function skipReason(test: TestCase): { title: string; reason: string } {
  const note = (test.result() as { note?: string }).note;
  const named = NAMED_REASON.exec(test.fullName);
  const title = test.name.replace(NAMED_REASON, '');
  if (note) return { title, reason: note };
  if (!named) return { title, reason: 'no reason given (say it in the test title)' };
  return { title, reason: named[1] ?? named[2] ?? `runs only with ${named[3]}` };
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skips: string[] = [];
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else {
          const { title, reason } = skipReason(test);
          skips.push(`  ${mod.moduleId.replace(`${process.cwd()}/`, '')} > ${title}\n      why: ${reason}`);
        }
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++; // a file that did not load
    }
    const why = skips.length ? `\nskipped tests and why:\n${skips.join('\n')}\n` : '';
    process.stdout.write(`${why}\n${passed} passed, ${failed} failed, ${skips.length} skipped\n`);
  }
}
