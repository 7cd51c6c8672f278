/**
 * What a file opened with Open… (or dropped on the page) is: a migviz scenario file, a guestperf
 * report, or a log of query-migrate replies. Detected from the content, not the name (a guestperf
 * report is `.json`, and so is a one-line log).
 */
import { duplicateJsonKeys, stripBom } from '../engine/input';
import { MAX_SCENARIO_FILE_BYTES, parseScenarioFile, ScenarioError, scenarioFileTooLarge } from '../engine/scenario';
import type { Scenario } from '../engine/types';
import { looksLikeGuestperf, parseGuestperf } from './guestperf';
import { ImportError, importFileTooLarge, MAX_IMPORT_BYTES, type MeasuredRun } from './measured-run';
import { looksLikeQueryMigrate, parseQueryMigrateLog } from './query-migrate-log';

export type ImportedFile =
  | { kind: 'scenario'; presetId: string; overrides: Partial<Scenario> }
  | { kind: 'measured'; run: MeasuredRun };

/**
 * Reads `text` (the file's content, `bytes` its size) as one of the three formats. Throws
 * ImportError or ScenarioError with one line naming the file, the format it was read as, and the
 * line or field that is wrong.
 */
export function readImportFile(text: string, source: string, bytes = text.length): ImportedFile {
  if (bytes > MAX_IMPORT_BYTES) throw new ImportError(importFileTooLarge(source, bytes));
  const body = stripBom(text);
  if (body.trim() === '') throw new ImportError(`${source} is empty`);
  let whole: unknown;
  let wholeOk = true;
  try {
    whole = JSON.parse(body);
  } catch {
    wholeOk = false;
  }
  if (!wholeOk) {
    // Not one JSON document: JSON lines of query-migrate replies, or broken JSON.
    const first = body.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
    let firstParsed: unknown;
    try {
      firstParsed = JSON.parse(first);
    } catch {
      firstParsed = undefined;
    }
    if (looksLikeQueryMigrate(firstParsed)) return { kind: 'measured', run: parseQueryMigrateLog(body, source) };
    // Otherwise it was meant as one JSON document: the scenario file reader says what is wrong with it.
  }
  if (looksLikeGuestperf(whole)) {
    const dups = duplicateJsonKeys(body);
    if (dups.length > 0) throw new ImportError(`${source} (guestperf report): field ${dups.map((k) => `"${k}"`).join(', ')} given more than once`);
    return { kind: 'measured', run: parseGuestperf(whole, source) };
  }
  if (looksLikeQueryMigrate(whole)) return { kind: 'measured', run: parseQueryMigrateLog(body, source) };
  // Anything else is read as a scenario file, whose reader names unknown fields and what it accepts.
  if (bytes > MAX_SCENARIO_FILE_BYTES) throw new ScenarioError(scenarioFileTooLarge(source));
  const { presetId, overrides } = parseScenarioFile(body, source);
  return { kind: 'scenario', presetId, overrides };
}
