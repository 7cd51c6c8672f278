/** The example files in public/examples/ are what the simulation makes (npm run -s examples), never edited by hand. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_FILE_NAMES, guestperfExample, queryMigrateExample } from '../../src/cli/example-files';

const read = (name: string) => readFileSync(join(import.meta.dirname, '../../public/examples', name), 'utf8');

describe('example measured runs', () => {
  it('are byte for byte what the builders make from the engine (if not: npm run -s examples)', () => {
    expect(read(EXAMPLE_FILE_NAMES.guestperf)).toBe(guestperfExample());
    expect(read(EXAMPLE_FILE_NAMES['query-migrate-log'])).toBe(queryMigrateExample());
  });

  it('say they are examples made by migviz, not measurements', () => {
    const note = 'EXAMPLE made by migviz from its own simulation, not a measurement';
    expect(JSON.parse(read(EXAMPLE_FILE_NAMES.guestperf)).binary).toBe(note);
    expect(JSON.parse(read(EXAMPLE_FILE_NAMES['query-migrate-log']).split('\n')[0]).id).toBe(note);
  });
});
