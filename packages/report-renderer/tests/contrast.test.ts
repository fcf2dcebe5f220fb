import { REPORT_CSS } from '../src';

/** The custom properties of the first `:root` block after `from` in the stylesheet. */
function palette(from: number): Record<string, string> {
  const start = REPORT_CSS.indexOf(':root', from);
  const block = REPORT_CSS.slice(start, REPORT_CSS.indexOf('}', start));
  const colours: Record<string, string> = {};
  for (const match of block.matchAll(/--(color-[a-z-]+):\s*(#[0-9a-f]{6})/gi))
    colours[match[1] as string] = match[2] as string;
  return colours;
}

/** WCAG 2.x relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
  const [r, g, b] = channels.map((value) =>
    value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4,
  ) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(foreground: string, background: string): number {
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

// Text colours on the backgrounds they are drawn on in the pages.
const PAIRS: [string, string][] = [
  ['color-text', 'color-bg'],
  ['color-text', 'color-surface'],
  ['color-text', 'color-surface-alt'],
  ['color-text-muted', 'color-bg'],
  ['color-text-muted', 'color-surface'],
  ['color-text-muted', 'color-surface-alt'],
  ['color-accent', 'color-surface'],
  ['color-accent', 'color-bg'],
  ['color-accent-text', 'color-accent'],
  ['color-good', 'color-surface'],
  ['color-bad', 'color-surface'],
  ['color-info', 'color-info-bg'],
  ['color-warning', 'color-warning-bg'],
  ['color-critical', 'color-critical-bg'],
  ['color-text', 'color-info-bg'],
  ['color-text', 'color-warning-bg'],
  ['color-text', 'color-critical-bg'],
];

describe('colour contrast (WCAG AA, 4.5:1 for text)', () => {
  it.each([
    ['light', palette(0)],
    ['dark', palette(REPORT_CSS.indexOf('prefers-color-scheme: dark'))],
  ])('holds for every text colour on its background in the %s theme', (_theme, colours) => {
    expect(Object.keys(colours).length).toBeGreaterThan(15);
    const failing = PAIRS.map(([text, background]) => ({
      pair: `${text} on ${background}`,
      ratio: contrast(colours[text] as string, colours[background] as string),
    })).filter((entry) => !(entry.ratio >= 4.5));
    expect(failing).toEqual([]);
  });

  it('measures contrast as WCAG defines it', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
