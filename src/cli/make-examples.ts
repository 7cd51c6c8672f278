/**
 * npm run -s examples
 * Writes the example measured runs of public/examples/ (see example-files.ts: made by migviz's
 * own simulation, not measurements).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './args';
import { EXAMPLE_FILE_NAMES, guestperfExample, queryMigrateExample } from './example-files';

const OUT = join(import.meta.dirname, '..', '..', 'public', 'examples');

runCli(() => {
  writeFileSync(join(OUT, EXAMPLE_FILE_NAMES.guestperf), guestperfExample());
  writeFileSync(join(OUT, EXAMPLE_FILE_NAMES['query-migrate-log']), queryMigrateExample());
  process.stderr.write(`wrote ${Object.values(EXAMPLE_FILE_NAMES).join(' and ')} in ${OUT}\n`);
});
