// A node:test reporter that prints one closing line CI reads:
// "N passed, N failed" (", N skipped" when any). Suites are not counted, only tests.
export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') {
      // A suite fails without a failing test when its hooks throw: count that.
      if (event.type === 'test:fail' && event.data.details?.error?.failureType === 'hookFailed') failed += 1;
      continue;
    }
    if (event.data.skip !== undefined || event.data.todo !== undefined) skipped += 1;
    else if (event.type === 'test:pass') passed += 1;
    else failed += 1;
  }
  yield `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}
