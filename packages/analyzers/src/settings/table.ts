import type { AnyAnalysisDefinition } from '../analyses/definition';
import { SUMMARY_SETTINGS } from '../summary/settings';
import type { SettingSpec, SettingsSpec } from './rules';

/** A default as the settings table shows it (long lists point at `DEFAULT_CONFIG`). */
function shownDefault(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 40 ? 'see `DEFAULT_CONFIG`' : `\`${text}\``;
}

/**
 * The rows of the settings table of `docs/analyses.md`: one Markdown row per
 * setting of every analysis of a registry (setting, default, what it
 * accepts, what it changes), in registry order.
 */
export function settingsTableRows(registry: readonly AnyAnalysisDefinition[]): string[] {
  const sections: [string, SettingsSpec<object>][] = [
    ...registry.map((definition): [string, SettingsSpec<object>] => [definition.name, definition.settings]),
    ['summary', SUMMARY_SETTINGS],
  ];
  return sections.flatMap(([name, settings]) =>
    (Object.entries(settings) as [string, SettingSpec<unknown>][]).map(
      ([key, entry]) =>
        `| \`${name}.${key}\` | ${shownDefault(entry.default)} | ${entry.rule.accepts} | ${entry.description} |`,
    ),
  );
}
