import { describe, expect, it } from '@jest/globals';
import type { ReportDocument } from '@finops/schema';
import { renderReportPage } from '../src';
import { fullDocument, hostile, HOSTILE_ID, QUOTES } from './fixtures';
import { byClass, byId, byTag, findAll, parseHtml, rawText, textOf, type HtmlElement } from './html';

const GENERATED_AT = '2025-02-01T08:30:00Z';

function render(document: ReportDocument): HtmlElement {
  return parseHtml(renderReportPage(document, { generatedAt: GENERATED_AT }));
}

function rowsOf(table: HtmlElement, part: 'thead' | 'tbody' | 'tfoot'): string[][] {
  const section = byTag(table, part)[0];
  if (!section) return [];
  return byTag(section, 'tr').map((row) =>
    findAll(row, (cell) => cell.tag === 'td' || cell.tag === 'th').map(textOf),
  );
}

function figurePairs(element: HtmlElement): string[][] {
  return byTag(element, 'div', 'figure').map((figure) => [
    textOf(byTag(figure, 'dt')[0] as HtmlElement),
    textOf(byTag(figure, 'dd')[0] as HtmlElement),
  ]);
}

describe('renderReportPage', () => {
  const document = fullDocument();
  const page = render(document);

  it('shows the header: title, purpose, window, generation time and source', () => {
    expect(textOf(byTag(page, 'h1')[0] as HtmlElement)).toBe('Understanding Usage & Cost');
    expect(textOf(byTag(page, 'title')[0] as HtmlElement)).toBe('Understanding Usage & Cost');
    expect(textOf(byClass(page, 'purpose')[0] as HtmlElement)).toBe('Where the money goes');
    const meta = textOf(byClass(page, 'report-meta')[0] as HtmlElement);
    expect(meta).toContain('2025-01-01 to 2025-01-30 (30 days)');
    expect(meta).toContain('2025-02-01 08:30 UTC');
    expect(meta).toContain('data/calls.csv, 52,428,800 bytes, 309,000 rows');
    expect(byTag(page, 'time')[0]?.attributes['datetime']).toBe(GENERATED_AT);
  });

  it('shows every metric card with its detail and trend', () => {
    const cards = byClass(page, 'metric');
    expect(cards.map((card) => textOf(byClass(card, 'metric__value')[0] as HtmlElement))).toEqual([
      '$12,345.67',
      '309,000',
      '4',
      '$411.52',
    ]);
    expect(textOf(byClass(cards[0] as HtmlElement, 'metric__detail')[0] as HtmlElement)).toBe('over 30 days');
    const trend = byClass(cards[1] as HtmlElement, 'metric__trend')[0] as HtmlElement;
    expect(trend.attributes['class']).toContain('trend--bad');
    expect(trend.attributes['data-direction']).toBe('up');
    expect(textOf(trend)).toBe('▲ +4.2% on the previous week');
    expect(byClass(cards[3] as HtmlElement, 'metric__trend')[0]?.attributes['class']).toContain(
      'trend--neutral',
    );
  });

  it('lists the sections in a table of contents and renders them with their intro', () => {
    const toc = byClass(page, 'toc')[0] as HtmlElement;
    expect(byTag(toc, 'a').map((link) => [link.attributes['href'], textOf(link)])).toEqual([
      ['#section-1', 'Customers'],
      ['#section-2', 'Actions'],
    ]);
    expect(textOf(byId(page, 'section-1-title'))).toBe('Customers');
    expect(textOf(byClass(byId(page, 'section-1'), 'section-intro')[0] as HtmlElement)).toBe(
      'Cost and margin of each customer.',
    );
  });

  it('renders a table with formatted, aligned cells, caption, footer and note', () => {
    const block = byClass(page, 'block-table')[0] as HtmlElement;
    const table = byTag(block, 'table')[0] as HtmlElement;
    expect(textOf(byTag(table, 'caption')[0] as HtmlElement)).toBe('All customers by margin');
    expect(rowsOf(table, 'thead')).toEqual([['Customer', 'Calls', 'Cost', 'Margin %', 'Tier']]);
    expect(rowsOf(table, 'tbody')).toEqual([
      ['cust_001', '1,000', '$12.50', '-3.25%', '—'],
      [HOSTILE_ID, '2,000', '$25.00', '-2.25%', '—'],
      ['cust_003', '3,000', '$37.50', '-1.25%', '—'],
      [textOf({ text: QUOTES }), '4,000', '$50.00', '-0.25%', '—'],
    ]);
    expect(rowsOf(table, 'tfoot')).toEqual([['Total', '10,000', '$125.00', '0.75%', '—']]);
    const firstRow = byTag(byTag(byTag(table, 'tbody')[0] as HtmlElement, 'tr')[0] as HtmlElement, 'td');
    expect(firstRow.map((cell) => cell.attributes['class'])).toEqual([
      'align-left',
      'align-right',
      'align-right',
      'align-right',
      'align-center',
    ]);
    expect(textOf(byClass(block, 'note')[0] as HtmlElement)).toBe('4 of 4 customers');
    const region = byClass(block, 'table-scroll')[0] as HtmlElement;
    expect(region.attributes['role']).toBe('region');
    expect(region.attributes['tabindex']).toBe('0');
  });

  it('renders every chart kind with an accessible canvas, a caption, a data table and its data as JSON', () => {
    const figures = byTag(page, 'figure', 'block-chart');
    expect(figures.map((figure) => figure.attributes['data-chart-kind'])).toEqual([
      'bar',
      'stacked-bar',
      'line',
      'doughnut',
      'pie',
      'scatter',
    ]);
    figures.forEach((figure, index) => {
      const id = `chart-${index + 1}`;
      expect(figure.attributes['data-chart']).toBe(id);
      const canvas = byTag(figure, 'canvas')[0] as HtmlElement;
      expect(canvas.attributes['id']).toBe(id);
      expect(canvas.attributes['role']).toBe('img');
      expect(canvas.attributes['aria-label']).toBe(textOf(byId(figure, `${id}-title`)));
      expect(canvas.attributes['aria-describedby']).toBe(`${id}-desc`);
      expect(byTag(figure, 'figcaption')).toHaveLength(1);
      expect(byTag(byTag(figure, 'details')[0] as HtmlElement, 'table')).toHaveLength(1);
      const data = byId(figure, `${id}-data`);
      expect(data.tag).toBe('script');
      expect(data.attributes['type']).toBe('application/json');
      expect(() => JSON.parse(rawText(data))).not.toThrow();
    });
  });

  it('embeds chart data that parses back to the document values', () => {
    const bar = JSON.parse(rawText(byId(page, 'chart-1-data')));
    expect(bar).toEqual({
      kind: 'bar',
      labels: ['cust_001', HOSTILE_ID, 'cust_003', QUOTES],
      series: [{ label: 'Cost', values: [12.5, 25, 37.5, 50] }],
      x: { title: 'Customer', format: 'number' },
      y: { title: 'Cost', format: 'money' },
      horizontal: true,
    });
    const scatter = JSON.parse(rawText(byId(page, 'chart-6-data')));
    expect(scatter.series[1].points).toEqual([{ x: 0.015, y: 60, label: HOSTILE_ID }]);
    expect(scatter.x).toEqual({ title: 'Cost per 1K tokens', format: 'money', decimals: 4 });
  });

  it('shows the numbers of each chart in its table', () => {
    const table = (id: string) =>
      byTag(
        byClass(byId(page, `${id}-data`).parent as HtmlElement, 'chart-data')[0] as HtmlElement,
        'table',
      )[0] as HtmlElement;
    expect(rowsOf(table('chart-2'), 'thead')).toEqual([['Category', 'Revenue', 'Cost']]);
    expect(rowsOf(table('chart-2'), 'tbody')).toEqual([
      ['starter', '$290.00', '$120.00'],
      ['pro', '$990.00', '—'],
      ['enterprise', '$2,990.00', '$800.00'],
    ]);
    expect(rowsOf(table('chart-4'), 'tbody')).toEqual([
      ['openai', '$75.00', '75.0%'],
      ['anthropic', '$25.00', '25.0%'],
    ]);
    expect(rowsOf(table('chart-5'), 'tbody')).toEqual([
      ['production', '900', '90.0%'],
      ['staging', '100', '10.0%'],
    ]);
    expect(rowsOf(table('chart-6'), 'thead')).toEqual([
      ['Series', 'Point', 'Cost per 1K tokens', 'Tokens per second'],
    ]);
    expect(rowsOf(table('chart-6'), 'tbody')).toEqual([
      ['openai', 'gpt-4o', '$0.0100', '80'],
      ['anthropic', HOSTILE_ID, '$0.0150', '60'],
    ]);
  });

  it('renders alerts by severity with their figures, and the empty text of an empty list', () => {
    const alerts = byClass(page, 'alert');
    expect(alerts.map((alert) => alert.attributes['data-severity'])).toEqual(['critical', 'warning', 'info']);
    expect(textOf(byClass(alerts[0] as HtmlElement, 'alert__title')[0] as HtmlElement)).toBe(
      `Critical ${HOSTILE_ID} is over budget`,
    );
    expect(textOf(byClass(alerts[0] as HtmlElement, 'alert__text')[0] as HtmlElement)).toBe('Cap it.');
    expect(figurePairs(alerts[0] as HtmlElement)).toEqual([
      ['cost', '$50.00'],
      ['calls', '4,000'],
    ]);
    expect(figurePairs(alerts[1] as HtmlElement)).toEqual([['multiple', '3.25']]);
    expect(byClass(alerts[2] as HtmlElement, 'figures')).toHaveLength(0);
    const empties = byClass(page, 'empty').map(textOf);
    expect(empties).toEqual(['Nothing to report.', 'No recommendations.']);
  });

  it('renders recommendations with the figures behind them', () => {
    const items = byClass(page, 'recommendation');
    expect(items).toHaveLength(1);
    expect(textOf(byClass(items[0] as HtmlElement, 'recommendation__text')[0] as HtmlElement)).toBe(
      'Move qa calls on gpt-4 to gpt-4o-mini',
    );
    expect(figurePairs(items[0] as HtmlElement)).toEqual([
      ['calls', '1,204'],
      ['saves in window', '$312.40'],
      ['share', '12.35'],
    ]);
  });

  it('renders free paragraphs', () => {
    const block = byClass(page, 'block-text')[0] as HtmlElement;
    expect(byTag(block, 'p').map(textOf)).toEqual(['First paragraph.', 'Second paragraph.']);
  });

  it('has no inline script, inline style or event handler, and loads only local assets', () => {
    const scripts = byTag(page, 'script');
    for (const script of scripts) {
      if (script.attributes['src'] === undefined) expect(script.attributes['type']).toBe('application/json');
      else expect(rawText(script)).toBe('');
    }
    expect(
      scripts.filter((script) => script.attributes['src']).map((script) => script.attributes['src']),
    ).toEqual(['assets/chart.umd.js', 'assets/report.js']);
    expect(byTag(page, 'style')).toHaveLength(0);
    const withStyleOrHandler = findAll(page, (element) =>
      Object.keys(element.attributes).some((name) => name === 'style' || name.startsWith('on')),
    );
    expect(withStyleOrHandler).toHaveLength(0);
    expect(byTag(page, 'link').map((link) => link.attributes['href'])).toEqual(['assets/report.css']);
    const csp = byTag(page, 'meta').find(
      (meta) => meta.attributes['http-equiv'] === 'Content-Security-Policy',
    );
    expect(csp?.attributes['content']).toContain("default-src 'self'");
  });

  it('loads no chart script on a page without charts', () => {
    const plain = render({
      ...document,
      sections: [{ title: 'Notes', blocks: [{ kind: 'text', paragraphs: ['x'] }] }],
    });
    expect(byTag(plain, 'script')).toHaveLength(0);
  });

  it('marks the current report in the navigation and links the index', () => {
    const html = renderReportPage(document, {
      generatedAt: GENERATED_AT,
      navigation: [
        { id: 'understanding', title: 'Understanding Usage & Cost' },
        { id: 'pricing', title: 'Pricing Strategy' },
      ],
      indexHref: '../index.html',
      assetsHref: '../assets',
    });
    const tree = parseHtml(html);
    const nav = byClass(tree, 'site-nav')[0] as HtmlElement;
    expect(
      byTag(nav, 'a').map((link) => [link.attributes['href'], link.attributes['aria-current'] ?? null]),
    ).toEqual([
      ['../index.html', null],
      ['understanding.html', 'page'],
      ['pricing.html', null],
    ]);
    expect(byTag(tree, 'link')[0]?.attributes['href']).toBe('../assets/report.css');
  });

  it('says when the log held no call', () => {
    const tree = render({ ...document, window: null });
    expect(textOf(byClass(tree, 'report-meta')[0] as HtmlElement)).toContain('no calls in the log');
  });

  it('rejects a document that is not sound', () => {
    expect(() => renderReportPage({ ...document, id: '../escape' })).toThrow(/id/);
  });
});

describe('renderReportPage with hostile values', () => {
  const html = renderReportPage(fullDocument('understanding', hostile), { generatedAt: GENERATED_AT });
  const page = parseHtml(html);

  it('keeps every value from the log as text: no element, attribute or script comes from it', () => {
    // The only elements are the template's own: a hostile <b> or <script> would show up here.
    expect(byTag(page, 'b')).toHaveLength(0);
    const scripts = byTag(page, 'script');
    expect(
      scripts.every((script) => script.attributes['type'] === 'application/json' || script.attributes['src']),
    ).toBe(true);
    expect(scripts.filter((script) => script.attributes['src'])).toHaveLength(2);
    expect(textOf(byTag(page, 'h1')[0] as HtmlElement)).toBe(
      `Understanding Usage & Cost ${HOSTILE_ID} ${textOf({ text: QUOTES })}`,
    );
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<b>x</b>');
  });

  it('keeps attribute values intact', () => {
    const canvas = byTag(page, 'canvas')[0] as HtmlElement;
    expect(canvas.attributes['aria-label']).toBe(`Cost by customer ${HOSTILE_ID} ${QUOTES}`);
  });

  it('escapes chart JSON so that it cannot close its script element, and it parses back unchanged', () => {
    for (const script of byTag(page, 'script').filter(
      (element) => element.attributes['type'] === 'application/json',
    )) {
      const text = rawText(script);
      expect(text).not.toMatch(/[<>&\u2028\u2029]/);
      expect(() => JSON.parse(text)).not.toThrow();
    }
    const data = JSON.parse(rawText(byId(page, 'chart-1-data')));
    expect(data.labels[1]).toBe(HOSTILE_ID);
    expect(data.series[0].label).toBe(hostile('Cost'));
  });
});
