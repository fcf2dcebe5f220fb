/**
 * Rules that settings are checked against. A rule both checks a value and
 * describes what it accepts, so that the messages of a wrong value and the
 * settings table in the docs come from one place.
 */

/** A check of one setting's value: problems (each naming `path`) and what the rule accepts, in words. */
export interface ValueRule {
  /** What the rule accepts, e.g. `integer ≥ 1` (shown in the settings table). */
  readonly accepts: string;
  /** Problems of `value`, each starting with `path`; none when it is accepted. */
  check(value: unknown, path: string): string[];
}

/** One setting: its default, the rule its values follow and what it changes. */
export interface SettingSpec<T> {
  readonly default: T;
  readonly rule: ValueRule;
  readonly description: string;
}

/** The settings of one analysis: a {@link SettingSpec} per key. */
export type SettingsSpec<Settings> = { readonly [K in keyof Settings]: SettingSpec<Settings[K]> };

/** A setting with its default, rule and description. */
export function setting<T>(defaultValue: T, rule: ValueRule, description: string): SettingSpec<T> {
  return { default: defaultValue, rule, description };
}

/** The value as a message shows it. */
export function describeValue(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function rangeWords(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

/** A finite number, optionally whole, within `[min, max]`. */
export function number(options: { min?: number; max?: number; integer?: boolean } = {}): ValueRule {
  const kind = options.integer ? 'a whole number' : 'a number';
  const range = rangeWords(options.min, options.max);
  return {
    accepts: `${options.integer ? 'integer' : 'number'}${range}`,
    check(value, path) {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return [`${path}: must be a number, got ${describeValue(value)}`];
      const outside =
        (options.integer === true && !Number.isInteger(value)) ||
        (options.min !== undefined && value < options.min) ||
        (options.max !== undefined && value > options.max);
      return outside ? [`${path}: must be ${kind}${range}, got ${describeValue(value)}`] : [];
    },
  };
}

/** A whole number within `[min, max]`. */
export function integer(options: { min?: number; max?: number } = {}): ValueRule {
  return number({ ...options, integer: true });
}

/** A share from 0 to 1. */
export function share(): ValueRule {
  return number({ min: 0, max: 1 });
}

/** `null` or a value of `rule`. */
export function nullable(rule: ValueRule): ValueRule {
  return {
    accepts: `${rule.accepts} or null`,
    check: (value, path) =>
      value === null
        ? []
        : rule
            .check(value, path)
            .map((problem) => problem.replace(/: must be a number,/, ': must be a number or null,')),
  };
}

/** Text. */
export function text(): ValueRule {
  return {
    accepts: 'text',
    check: (value, path) =>
      typeof value === 'string' ? [] : [`${path}: must be a string, got ${describeValue(value)}`],
  };
}

/** A list whose items follow `item`. */
export function list(item: ValueRule): ValueRule {
  return {
    accepts: `list of ${item.accepts}`,
    check(value, path) {
      if (!Array.isArray(value)) return [`${path}: must be an array, got ${describeValue(value)}`];
      return value.flatMap((entry, index) => item.check(entry, `${path}[${index}]`));
    },
  };
}

/** An object with these keys (any may be left out), each following its rule; other keys are errors. */
export function shape(fields: Readonly<Record<string, ValueRule>>): ValueRule {
  return {
    accepts: `{ ${Object.keys(fields).join(', ')} }`,
    check(value, path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return [`${path}: must be an object, got ${describeValue(value)}`];
      return Object.entries(value).flatMap(([key, entry]) => {
        const rule = fields[key];
        return rule
          ? rule.check(entry, `${path}.${key}`)
          : [`${path}.${key}: unknown setting (known here: ${Object.keys(fields).join(', ')})`];
      });
    },
  };
}

/** The defaults of a settings spec, as a fresh object. */
export function defaultsOf<Settings>(spec: SettingsSpec<Settings>): Settings {
  const defaults = {} as Record<string, unknown>;
  for (const [key, entry] of Object.entries(spec) as [string, SettingSpec<unknown>][])
    defaults[key] = structuredClone(entry.default);
  return defaults as Settings;
}

/** Problems of partial settings of one analysis (unknown keys, wrong types, values out of range). */
export function settingsProblems<Settings>(
  spec: SettingsSpec<Settings>,
  value: unknown,
  path: string,
): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${path}: must be an object, got ${describeValue(value)}`];
  const known = spec as Readonly<Record<string, SettingSpec<unknown>>>;
  return Object.entries(value).flatMap(([key, entry]) => {
    const rule = known[key]?.rule;
    return rule
      ? rule.check(entry, `${path}.${key}`)
      : [`${path}.${key}: unknown setting (known here: ${Object.keys(known).join(', ')})`];
  });
}
