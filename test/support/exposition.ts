/**
 * A strict reader of Prometheus' text exposition format (0.0.4), for tests: every line is a `# HELP`, a `# TYPE`
 * or a sample `name{label="value",…} value`, every sample belongs to a family whose TYPE came before it, and
 * anything else throws with the line it could not read.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly help: ReadonlyMap<string, string>;
  readonly type: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const HELP_LINE = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
/** The series a family of each type may have besides its own name. */
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

export function parseExposition(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  const samples: Sample[] = [];
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const where = `line ${index + 1}: ${JSON.stringify(line)}`;
      if (line === '') return;
      const helpMatch = HELP_LINE.exec(line);
      if (helpMatch) {
        help.set(helpMatch[1] as string, helpMatch[2] as string);
        return;
      }
      const typeMatch = TYPE_LINE.exec(line);
      if (typeMatch) {
        if (type.has(typeMatch[1] as string)) throw new Error(`a second TYPE for one family, ${where}`);
        type.set(typeMatch[1] as string, typeMatch[2] as string);
        return;
      }
      const sample = SAMPLE_LINE.exec(line);
      if (!sample) throw new Error(`not a HELP, TYPE or sample line, ${where}`);
      const name = sample[1] as string;
      if (familyOf(name, type) === null) throw new Error(`a sample before its family's TYPE, ${where}`);
      samples.push({
        name,
        labels: parseLabels(sample[2] ?? '', where),
        value: parseValue(sample[3] as string, where),
      });
    });
  return { help, type, samples };
}

function familyOf(name: string, types: ReadonlyMap<string, string>): string | null {
  if (types.has(name)) return name;
  for (const [family, type] of types) {
    if ((SUFFIXES[type] ?? []).some((suffix) => name === family + suffix)) return family;
  }
  return null;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`unreadable labels, ${where}`);
    const name = match[1] as string;
    if (name in labels) throw new Error(`label ${name} twice, ${where}`);
    labels[name] = (match[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(text: string, where: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  // Prometheus reads values with Go's ParseFloat, which takes NaN in any case: prom-client writes `Nan` (the event
  // loop lag of a process whose monitor has no sample yet).
  if (/^nan$/i.test(text)) return Number.NaN;
  const value = Number(text);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) || Number.isNaN(value))
    throw new Error(`not a number, ${where}`);
  return value;
}

/** The value of the one sample with this name and these labels (all of them); throws when there is none. */
export function sampleValue(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): number {
  const found = exposition.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.keys(sample.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length !== 1)
    throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}, where one was expected`);
  return (found[0] as Sample).value;
}
