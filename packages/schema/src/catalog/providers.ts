/**
 * Provider names: the OpenTelemetry `gen_ai.provider.name` values are the
 * canonical ids, and the spellings gateways and exports use for the same
 * provider resolve to them.
 */

/** Canonical provider ids (OpenTelemetry `gen_ai.provider.name` well-known values). */
export const CANONICAL_PROVIDERS = [
  'openai',
  'anthropic',
  'aws.bedrock',
  'azure.ai.openai',
  'azure.ai.inference',
  'gcp.vertex_ai',
  'gcp.gemini',
  'gcp.gen_ai',
  'cohere',
  'mistral_ai',
  'groq',
  'deepseek',
  'x_ai',
  'perplexity',
  'ibm.watsonx.ai',
] as const;

/** Other spellings of each canonical provider id, as written by SDKs, gateways and usage exports. */
export const PROVIDER_ALIASES: Readonly<Record<string, readonly string[]>> = {
  openai: ['open_ai', 'open-ai'],
  anthropic: ['claude'],
  'aws.bedrock': ['bedrock', 'aws', 'amazon_bedrock', 'amazon-bedrock', 'aws_bedrock', 'bedrock_converse'],
  'azure.ai.openai': ['azure', 'azure_openai', 'azure-openai', 'azureopenai', 'azure_ai_openai'],
  'azure.ai.inference': ['azure_ai', 'azure-ai', 'azure_ai_inference'],
  'gcp.vertex_ai': ['vertex_ai', 'vertex', 'vertexai', 'vertex-ai', 'google_vertex', 'google-vertex'],
  'gcp.gemini': ['gemini', 'google', 'google_ai_studio', 'google-ai-studio', 'google_genai', 'gcp'],
  'gcp.gen_ai': ['google_gen_ai'],
  cohere: ['cohere_chat'],
  mistral_ai: ['mistral', 'mistralai', 'mistral-ai'],
  groq: [],
  deepseek: ['deep_seek'],
  x_ai: ['xai', 'x-ai', 'grok'],
  perplexity: ['perplexity_ai'],
  'ibm.watsonx.ai': ['watsonx', 'ibm_watsonx', 'watsonx.ai'],
};

const canonicalByName = new Map<string, string>();
for (const [canonical, aliases] of Object.entries(PROVIDER_ALIASES)) {
  canonicalByName.set(canonical, canonical);
  for (const alias of aliases) canonicalByName.set(alias, canonical);
}

/**
 * The canonical id of a provider name: `azure`, `azure_openai` and
 * `Azure.AI.OpenAI` all give `azure.ai.openai`. A name outside the
 * vocabulary comes back trimmed and lower-cased.
 */
export function canonicalProvider(name: string): string {
  const key = name.trim().toLowerCase();
  return canonicalByName.get(key) ?? key;
}
