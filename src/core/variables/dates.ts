// `$timestamp`, `$datetime`, `$localDatetime` arguments: an optional offset
// (`-1 d`, units as REST Client's moment: y Q M w d h m s ms) and a format
// (`rfc1123`, `iso8601`, or a quoted dayjs format, whose tokens are moment's).
import dayjs, { type Dayjs } from 'dayjs';
import advancedFormat from 'dayjs/plugin/advancedFormat';
import isoWeek from 'dayjs/plugin/isoWeek';
import localizedFormat from 'dayjs/plugin/localizedFormat';
import utc from 'dayjs/plugin/utc';
import weekOfYear from 'dayjs/plugin/weekOfYear';
import weekYear from 'dayjs/plugin/weekYear';

dayjs.extend(utc);
dayjs.extend(advancedFormat);
dayjs.extend(localizedFormat);
// advancedFormat's week tokens (w, W, gggg, GGGG) call these; without them a format using one throws.
dayjs.extend(weekOfYear);
dayjs.extend(isoWeek);
dayjs.extend(weekYear);

export type OffsetUnit = 'y' | 'Q' | 'M' | 'w' | 'd' | 'h' | 'm' | 's' | 'ms';

export interface DateOffset {
  readonly amount: number;
  readonly unit: OffsetUnit;
}

export type DateFormat = 'rfc1123' | 'iso8601' | { readonly custom: string };

const OFFSET = /^(?:(-?\d+)\s+(ms|[yQMwdhms]))?$/;
const DATETIME = /^(rfc1123|iso8601|'[^']+'|"[^"]+")(?:\s+(.*))?$/s;

/** `''` → no offset; `-1 d` → one day back; anything else → null. */
export function parseOffset(text: string): DateOffset | undefined | null {
  const m = OFFSET.exec(text.trim());
  if (!m) return null;
  if (m[1] === undefined) return undefined;
  return { amount: Number(m[1]), unit: m[2] as OffsetUnit };
}

export function parseDatetimeArgs(
  text: string,
): { format: DateFormat; offset: DateOffset | undefined } | null {
  const m = DATETIME.exec(text.trim());
  if (!m) return null;
  const offset = parseOffset(m[2] ?? '');
  if (offset === null) return null;
  const f = m[1];
  const format: DateFormat = f === 'rfc1123' || f === 'iso8601' ? f : { custom: f.slice(1, -1) };
  return { format, offset };
}

function at(now: number, offset: DateOffset | undefined, local: boolean): Dayjs {
  const base = local ? dayjs(now) : dayjs.utc(now);
  if (!offset) return base;
  // dayjs has no quarter unit without another plugin; a quarter is three months.
  return offset.unit === 'Q' ? base.add(offset.amount * 3, 'M') : base.add(offset.amount, offset.unit);
}

/** Unix seconds, as REST Client's `$timestamp`. */
export function unixSeconds(now: number, offset: DateOffset | undefined): number {
  return at(now, offset, false).unix();
}

export function formatDate(
  now: number,
  format: DateFormat,
  offset: DateOffset | undefined,
  local: boolean,
): string {
  const d = at(now, offset, local);
  if (format === 'rfc1123') {
    return local ? d.locale('en').format('ddd, DD MMM YYYY HH:mm:ss ZZ') : d.toDate().toUTCString();
  }
  if (format === 'iso8601') return local ? d.format('YYYY-MM-DDTHH:mm:ss.SSSZ') : d.toISOString();
  return d.format(format.custom);
}
