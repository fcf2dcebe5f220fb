import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_CSS, REPORT_JS } from '../src';
import * as templateSources from '../src/templates';

const sourceDir = join(__dirname, '..', 'src');

function sourceFile(...segments: string[]): string {
  return readFileSync(join(sourceDir, ...segments), 'utf8');
}

describe('assets kept as files and inlined as text', () => {
  it('ships the stylesheet and the page script exactly as their files hold them', () => {
    expect(REPORT_CSS).toBe(sourceFile('assets', 'report.css'));
    expect(REPORT_JS).toBe(sourceFile('assets', 'report.browser.js'));
  });

  it('keeps multi-byte characters and line ends of the files intact', () => {
    expect(REPORT_JS).toContain("return '\u2014';");
    expect(REPORT_JS.endsWith('})();\n')).toBe(true);
    expect(REPORT_CSS.endsWith('}\n')).toBe(true);
  });

  it('uses every template file once, and every template comes from a file', () => {
    const folder = join(sourceDir, 'templates');
    const files = readdirSync(folder).filter((name) => name.endsWith('.hbs'));
    const fileContents = files.map((name) => readFileSync(join(folder, name), 'utf8')).sort();
    const inlined = Object.values(templateSources).sort();
    expect(files.length).toBe(11);
    expect(inlined).toEqual(fileContents);
    expect(new Set(inlined).size).toBe(inlined.length);
  });

  it('keeps the page script free of markup writes and of code run from data', () => {
    expect(REPORT_JS).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/,
    );
  });
});
