/**
 * Provider names in the OpenTelemetry `gen_ai.provider.name` vocabulary
 * (lower-case; other values pass through lower-cased), from the names each
 * source uses, or from a model name when the source records no provider.
 */

const ALIASES: Readonly<Record<string, string>> = {
  azure: 'azure.ai.openai',
  azure_openai: 'azure.ai.openai',
  azure_ai: 'azure.ai.inference',
  bedrock: 'aws.bedrock',
  bedrock_converse: 'aws.bedrock',
  aws_bedrock: 'aws.bedrock',
  'aws-bedrock': 'aws.bedrock',
  vertex: 'gcp.vertex_ai',
  vertex_ai: 'gcp.vertex_ai',
  vertex_ai_beta: 'gcp.vertex_ai',
  'vertex-ai': 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  gemini: 'gcp.gemini',
  google: 'gcp.gemini',
  google_genai: 'gcp.gen_ai',
  xai: 'x_ai',
  mistral: 'mistral_ai',
  mistralai: 'mistral_ai',
  cohere_chat: 'cohere',
  watsonx: 'ibm.watsonx.ai',
  text_completion_openai: 'openai',
  openai_like: 'openai',
};

/** A provider name from any source in the canonical vocabulary: `bedrock` → `aws.bedrock`, `ANTHROPIC` → `anthropic`. */
export function canonicalProvider(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (name.startsWith('vertex_ai')) return 'gcp.vertex_ai';
  return ALIASES[name] ?? name;
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
