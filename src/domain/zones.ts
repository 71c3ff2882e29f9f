/**
 * Time zones for luxon that remember their UTC offsets. Luxon asks Intl for the offset of an IANA zone on every
 * DateTime it builds or moves (tens of microseconds each, and a deadline takes several), which made zone
 * arithmetic most of the CPU of a click that advances a ticket, and of the delay check.
 *
 * An offset is remembered per quarter hour (UTC) when both ends of that quarter have the same one: offsets and
 * their changes fall on quarter hours, so the offset cannot change inside it then. A quarter whose ends differ
 * (a zone with odd historical rules) is simply asked every time.
 */
import { IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

/** Offsets, and the instants they change at, fall on quarter hours (UTC) in every zone in use today. */
export const QUARTER_MS = 15 * 60_000;
/** About a year of quarters per zone; the map starts over when full rather than grow without end. */
const MAX_REMEMBERED = 40_000;

class RememberingZone extends Zone {
  private readonly offsets = new Map<number, number>();

  constructor(private readonly iana: IANAZone) {
    super();
  }

  override get type(): string {
    return this.iana.type;
  }

  override get name(): string {
    return this.iana.name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): true {
    return true;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string {
    return this.iana.offsetName(ts, options) ?? this.name;
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.iana.formatOffset(ts, format);
  }

  override offset(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_MS);
    const known = this.offsets.get(quarter);
    if (known !== undefined) return known;
    const offset = this.iana.offset(ts);
    const start = this.iana.offset(quarter * QUARTER_MS);
    const end = this.iana.offset((quarter + 1) * QUARTER_MS - 1);
    if (start === offset && end === offset && Number.isFinite(offset)) {
      if (this.offsets.size >= MAX_REMEMBERED) this.offsets.clear();
      this.offsets.set(quarter, offset);
    }
    return offset;
  }

  override equals(other: Zone): boolean {
    return other.type === this.type && other.name === this.name;
  }
}

const zones = new Map<string, Zone>();

/** The zone called `name` (an IANA name such as Europe/Amsterdam), remembering its offsets. */
export function zoneFor(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    const iana = IANAZone.create(name);
    // An unknown name stays luxon's own (invalid) zone, so that luxon reports it as before.
    zone = iana.isValid ? new RememberingZone(iana) : iana;
    zones.set(name, zone);
  }
  return zone;
}

/** `YYYY-MM-DD` of an instant on the wall clock of the zone called `name`. */
export function localDayOf(instant: Date, name: string): string {
  const ms = instant.getTime();
  return new Date(ms + zoneFor(name).offset(ms) * 60_000).toISOString().slice(0, 10);
}
