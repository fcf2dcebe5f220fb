/**
 * Provider names in the OpenTelemetry `gen_ai.provider.name` vocabulary
 * (lower-case; other values pass through lower-cased), from the names each
 * source uses, or from a model name when the source records no provider.
 */
import { canonicalProvider } from '@finops/schema';

/** Spellings seen in exports that the schema's provider vocabulary does not list. */
const EXPORT_SPELLINGS: Readonly<Record<string, string>> = {
  text_completion_openai: 'openai',
  openai_like: 'openai',
  vertex_ai_beta: 'gcp.vertex_ai',
};

/**
 * A provider name from any source in the canonical vocabulary (the schema's
 * `canonicalProvider`, plus spellings of gateway exports): `bedrock` →
 * `aws.bedrock`, `ANTHROPIC` → `anthropic`, `vertex_ai-anthropic_models` →
 * `gcp.vertex_ai`.
 */
export function importedProvider(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (name.startsWith('vertex_ai')) return 'gcp.vertex_ai';
  return EXPORT_SPELLINGS[name] ?? canonicalProvider(name);
}

const MODEL_FAMILIES: readonly [RegExp, string][] = [
  [/^(gpt-|o[1-9](-|$)|chatgpt-|text-embedding-|davinci|babbage|dall-e|whisper|tts-)/, 'openai'],
  [/^claude/, 'anthropic'],
  [/^gemini/, 'gcp.gemini'],
  [/^(mistral|mixtral|codestral|ministral|pixtral|magistral)/, 'mistral_ai'],
  [/^(command|embed-(english|multilingual))/, 'cohere'],
  [/^grok/, 'x_ai'],
  [/^deepseek/, 'deepseek'],
];

/** The provider a model name belongs to, when its family says so unambiguously; `undefined` otherwise. */
export function providerFromModel(model: string): string | undefined {
  const name = model.trim().toLowerCase();
  for (const [pattern, provider] of MODEL_FAMILIES) if (pattern.test(name)) return provider;
  return undefined;
}
