import type { ScenarioChoice } from './options';

/** One line per scenario choice: what it models, for help texts and reports. */
export const SCENARIO_DESCRIPTIONS: Readonly<Record<ScenarioChoice, string>> = {
  base: 'Ordinary traffic: business-hour peaks, quieter weekends, stable customers.',
  seasonal: 'Weekly, daily and monthly waves multiply the volume.',
  burst: 'On some days a customer runs a 1–3 hour window at 5–20× its normal volume.',
  decline: 'Usage shrinks about 2 % a day and a fifth of the customers churn on a random day.',
  'multi-tenant': 'Organizations differ 3–10× in volume and each prefers its own provider.',
  'model-migration': 'An S-curve moves traffic from gpt-4 to claude-sonnet-4 from day 10 over 14 days.',
  weekend:
    'Saturdays at 40–60 %, Sundays at 30–50 %, holidays at 20–40 % of a weekday; Friday afternoons taper.',
  timezones: 'Customers in US East, US West, Europe and Asia-Pacific peak 09–17 in their local time.',
  'feature-launch': 'ai_assistant launches on day 10 with a 3–5× spike, then settles at 40 % adoption.',
  'cost-optimization':
    'Simple tasks start on premium models, then move to cheap ones: −70 % cost per call by day 21.',
  'steady-growth': 'Volume grows linearly by 2–5 % of the first day a day.',
  'viral-spike': 'Volume compounds by 10–30 % a day from day 5 for 10 days, then holds at the peak.',
  'regional-latency':
    'anthropic is 3× slower in ap-southeast-1; us-west-2 is 40 % faster and, with more cache reads, cheaper.',
  'minute-flood': 'Starter-plan customers fire 200–400 calls within one minute on 30 % of their days.',
  'off-hours': 'Starter-plan customers run 30–60 evenly spaced calls from 03:00 local time every night.',
  'model-hopping': 'On half of their days customers cycle through 20 models, one per call, within 5 minutes.',
  'oversized-batch':
    'On 30 % of days, 50–150 calls in one second, each with 6× the usual prompt and at most 30 output tokens.',
  'cache-adoption': 'The share of calls reading the prompt cache rises from 5 % on day 5 to 85 % by day 25.',
  'churn-risk': 'From day 14 usage slides over 4 days to 15 % of what it was.',
  expansion: 'Starter-plan customers grow to 3× their volume over the week from day 14.',
  'costly-sessions':
    'On 30 % of days one session (one trace) runs 80–200 calls with 4× prompts, mostly on premium models.',
  all: 'Every scenario at once: the population split into a base cohort and one cohort per scenario.',
};
