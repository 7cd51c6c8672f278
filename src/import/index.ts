/** Measured runs read from files (guestperf reports, query-migrate logs): pure parsers and one shape. */
export { readImportFile, type ImportedFile } from './detect';
export { parseGuestperf, looksLikeGuestperf } from './guestperf';
export { parseQueryMigrateLog, looksLikeQueryMigrate } from './query-migrate-log';
export { matchScenario, type MatchedScenario } from './match';
export {
  EXAMPLE_FILE_NAMES,
  FORMAT_LABEL,
  ImportError,
  MAX_IMPORT_BYTES,
  MEASURED_FORMATS,
  type MeasuredFormat,
  type MeasuredRun,
  type MeasuredSample,
  type MeasuredSettings,
} from './measured-run';
