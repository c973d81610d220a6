// Prints one plain "N passed, N failed[, N skipped]" line as the very last line of output (Jest's
// own summary comes after every reporter's onRunComplete, hence the exit hook). When
// HOSTING_SUMMARY_FILE is set, the counts are also appended there so scripts/test.sh can add up
// several runs into the single closing line CI reads.
const fs = require('node:fs');
class SummaryReporter {
  onRunComplete(_contexts, r) {
    const skipped = r.numPendingTests + r.numTodoTests;
    // A suite that fails to load has no failed tests of its own; count it so it cannot hide.
    const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
    const line = `${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
    if (process.env.HOSTING_SUMMARY_FILE) {
      fs.appendFileSync(process.env.HOSTING_SUMMARY_FILE, `${r.numPassedTests} ${failed} ${skipped}\n`);
    }
    process.once('exit', () => process.stdout.write(line));
  }
}
module.exports = SummaryReporter;
