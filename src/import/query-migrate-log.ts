/**
 * A log of query-migrate replies, one JSON object per line (JSON lines), e.g. from a loop of
 * `virsh qemu-monitor-command DOMAIN '{"execute":"query-migrate"}'` (which prints the QMP reply
 * `{"return": {...}, "id": "libvirt-42"}`) or from a QMP client printing the bare object.
 *
 * Each line is one of:
 * - a query-migrate reply, bare (`{"status": "active", "ram": {...}, ...}`) or wrapped
 *   (`{"return": {...}}`), as QAPI's MigrationInfo (qapi/migration.json) names its fields;
 * - a query-migrate-parameters reply (bare or wrapped; it has "downtime-limit" or
 *   "max-bandwidth" and no "status"): the run's downtime limit (ms) and max-bandwidth (bytes/s),
 *   which query-migrate itself does not carry;
 * - blank (skipped).
 * Any of them may carry a timestamp as QMP events do, `"timestamp": {"seconds": S,
 * "microseconds": U}`, next to "return" or inside the bare object.
 *
 * Time: QEMU's own `total-time` (ms since the migration started; present while active and when
 * completed) when the reply has it; else the line's timestamp, relative to the first timestamped
 * line. A reply with neither (QEMU reports "setup" without a total-time in some versions) is
 * skipped before the first timed sample and an error after it.
 */
import {
  checkTimeOrder,
  ImportError,
  isObject,
  type Json,
  type MeasuredRun,
  type MeasuredSample,
  type MeasuredSettings,
  numberAt,
  objectAt,
  optionalNumberAt,
  own,
  short,
  stringAt,
} from './measured-run';

/** The reply object of a line: `{"return": {...}}` unwrapped, a bare object as it is. */
function replyOf(o: Json): Json | null {
  if (!Object.hasOwn(o, 'return')) return o;
  const r = own(o, 'return');
  return isObject(r) ? r : null;
}

/** True when a parsed line is a query-migrate or query-migrate-parameters reply. */
export function looksLikeQueryMigrate(o: unknown): boolean {
  if (!isObject(o)) return false;
  const r = replyOf(o);
  return r !== null && (isMigrationInfo(r) || isParameters(r));
}

function isMigrationInfo(r: Json): boolean {
  return typeof own(r, 'status') === 'string';
}

function isParameters(r: Json): boolean {
  return !isMigrationInfo(r) && (Object.hasOwn(r, 'downtime-limit') || Object.hasOwn(r, 'max-bandwidth'));
}

/** Seconds of a QMP-style timestamp on the line, or null. */
function timestampOf(o: Json, r: Json, where: string): number | null {
  const ts = own(o, 'timestamp') ?? own(r, 'timestamp');
  if (ts === undefined) return null;
  if (!isObject(ts)) throw new ImportError(`${where}: "timestamp" must be {"seconds": S, "microseconds": U}`);
  return numberAt(ts, 'seconds', `${where} timestamp`) + numberAt(ts, 'microseconds', `${where} timestamp`) / 1e6;
}

export function parseQueryMigrateLog(text: string, source: string): MeasuredRun {
  const samples: MeasuredSample[] = [];
  const lineOf: number[] = [];
  const settings: MeasuredSettings = {};
  let firstTs: number | null = null;
  let last: { status: string; r: Json; where: string } | null = null;
  let total: number | null = null;
  /** The first post-copy status seen (QAPI MigrationStatus: postcopy-active, postcopy-paused, ...). */
  let postcopy: string | null = null;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const where = `${source} line ${i + 1}`;
    if (line.trim() === '') return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch (e) {
      throw new ImportError(`${where}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!isObject(o)) throw new ImportError(`${where}: must be a JSON object, not ${short(o)}`);
    const r = replyOf(o);
    if (r === null) throw new ImportError(`${where}: "return" must be an object`);
    if (Object.hasOwn(o, 'error')) throw new ImportError(`${where}: QEMU answered with an error: ${short(own(o, 'error'))}`);
    const ts = timestampOf(o, r, where);
    if (ts !== null) firstTs ??= ts;
    if (isParameters(r)) {
      const downtime = optionalNumberAt(r, 'downtime-limit', where);
      if (downtime !== null) settings.downtimeMs = { value: downtime, from: `downtime-limit ${downtime} ms (line ${i + 1})` };
      const bw = optionalNumberAt(r, 'max-bandwidth', where);
      if (bw !== null) {
        const mibs = bw / 2 ** 20;
        settings.maxBandwidthMiBs = { value: mibs, from: `max-bandwidth ${bw} bytes/s = ${Number(mibs.toFixed(3))} MiB/s (line ${i + 1})` };
      }
      return;
    }
    if (!isMigrationInfo(r)) {
      throw new ImportError(`${where}: neither a query-migrate reply (no "status") nor query-migrate-parameters`);
    }
    const status = stringAt(r, 'status', where);
    if (status.startsWith('postcopy')) postcopy ??= status;
    const totalTime = optionalNumberAt(r, 'total-time', where);
    const tMs = totalTime ?? (ts !== null && firstTs !== null ? (ts - firstTs) * 1000 : null);
    if (!Object.hasOwn(r, 'ram')) {
      // QEMU leaves "ram" out before the migration has started sending (setup) and after a failure.
      if (status === 'setup' || status === 'none') return;
      if (status !== 'completed') {
        last = { status, r, where };
        return;
      }
    }
    const ram = objectAt(r, 'ram', where);
    if (tMs === null) {
      if (samples.length === 0) return;
      throw new ImportError(`${where}: no "total-time" and no "timestamp": cannot place it in time`);
    }
    samples.push({
      tMs,
      transferredBytes: numberAt(ram, 'transferred', `${where} ram`),
      remainingBytes: numberAt(ram, 'remaining', `${where} ram`),
      mbps: optionalNumberAt(ram, 'mbps', `${where} ram`),
    });
    lineOf.push(i + 1);
    const ramTotal = optionalNumberAt(ram, 'total', `${where} ram`);
    if (ramTotal !== null && ramTotal > 0) total = ramTotal;
    last = { status, r, where };
  });
  if (samples.length === 0) {
    throw new ImportError(`${source}: no query-migrate reply with "ram" and a time ("total-time" or "timestamp")`);
  }
  checkTimeOrder(samples, (k) => `${source} line ${lineOf[k]}`);
  if (total !== null) {
    const gib = total / 2 ** 30;
    settings.guestGiB = { value: gib, from: `ram.total ${total} bytes = ${Number(gib.toFixed(3))} GiB` };
  }
  const end = last as { status: string; r: Json; where: string } | null;
  const status = end?.status ?? 'active';
  const completed = status === 'completed' && end !== null;
  return {
    format: 'query-migrate-log',
    source,
    samples,
    status,
    totalTimeMs: completed ? numberAt(end.r, 'total-time', end.where) : null,
    downtimeMs: completed ? numberAt(end.r, 'downtime', end.where) : null,
    transferredBytes: completed ? samples[samples.length - 1].transferredBytes : null,
    setupTimeMs: completed ? optionalNumberAt(end.r, 'setup-time', end.where) : null,
    settings,
    caveats: postcopy ? [`the run switched to post-copy (status ${postcopy}); migviz simulates pre-copy only`] : [],
  };
}
