/**
 * A small HTML parser for structural assertions on rendered pages: enough of
 * the HTML syntax for well-formed output (tags, attributes, text, comments,
 * raw-text script and style elements, void elements).
 */
export interface HtmlElement {
  tag: string;
  attributes: Record<string, string>;
  children: HtmlNode[];
  parent: HtmlElement | null;
}

/** An element or a text node. */
export type HtmlNode = HtmlElement | { text: string };

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'wbr',
]);
const RAW_TEXT_ELEMENTS = new Set(['script', 'style']);
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes character references (`&amp;`, `&#39;`, `&#x3D;`). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase();
    if (name in attributes) throw new Error(`duplicate attribute ${name}`);
    attributes[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

/** Parses a document; throws on a closing tag that does not match the open element. */
export function parseHtml(html: string): HtmlElement {
  const root: HtmlElement = { tag: '#document', attributes: {}, children: [], parent: null };
  let current = root;
  let position = 0;
  while (position < html.length) {
    const open = html.indexOf('<', position);
    if (open === -1) {
      current.children.push({ text: decodeEntities(html.slice(position)) });
      break;
    }
    if (open > position) current.children.push({ text: decodeEntities(html.slice(position, open)) });
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      if (end === -1) throw new Error('unterminated comment');
      position = end + 3;
      continue;
    }
    if (html.startsWith('<!', open)) {
      position = html.indexOf('>', open) + 1;
      continue;
    }
    const close = html.indexOf('>', open);
    if (close === -1) throw new Error('unterminated tag');
    const inside = html.slice(open + 1, close);
    if (inside.startsWith('/')) {
      const tag = inside.slice(1).trim().toLowerCase();
      if (current.tag !== tag) throw new Error(`</${tag}> closes <${current.tag}>`);
      current = current.parent ?? root;
      position = close + 1;
      continue;
    }
    const nameMatch = /^([a-zA-Z][a-zA-Z0-9-]*)/.exec(inside);
    if (!nameMatch?.[1]) throw new Error(`bad tag at ${open}: ${inside.slice(0, 40)}`);
    const tag = nameMatch[1].toLowerCase();
    const element: HtmlElement = {
      tag,
      attributes: parseAttributes(inside.slice(nameMatch[1].length).replace(/\/$/, '')),
      children: [],
      parent: current,
    };
    current.children.push(element);
    position = close + 1;
    if (VOID_ELEMENTS.has(tag)) continue;
    if (RAW_TEXT_ELEMENTS.has(tag)) {
      const end = html.toLowerCase().indexOf(`</${tag}`, position);
      if (end === -1) throw new Error(`unterminated <${tag}>`);
      element.children.push({ text: html.slice(position, end) });
      position = html.indexOf('>', end) + 1;
      continue;
    }
    current = element;
  }
  if (current !== root) throw new Error(`<${current.tag}> is never closed`);
  return root;
}

function isElement(node: HtmlNode): node is HtmlElement {
  return 'tag' in node;
}

/** Every element under `root` (depth first) that satisfies `test`. */
export function findAll(root: HtmlElement, test: (element: HtmlElement) => boolean): HtmlElement[] {
  const found: HtmlElement[] = [];
  const visit = (element: HtmlElement): void => {
    for (const child of element.children) {
      if (!isElement(child)) continue;
      if (test(child)) found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Elements by tag name and, optionally, a class they carry. */
export function byTag(root: HtmlElement, tag: string, className?: string): HtmlElement[] {
  return findAll(
    root,
    (element) =>
      element.tag === tag &&
      (className === undefined || (element.attributes['class'] ?? '').split(/\s+/).includes(className)),
  );
}

/** Elements carrying a class. */
export function byClass(root: HtmlElement, className: string): HtmlElement[] {
  return findAll(root, (element) => (element.attributes['class'] ?? '').split(/\s+/).includes(className));
}

/** The element with an id; throws when there is not exactly one. */
export function byId(root: HtmlElement, id: string): HtmlElement {
  const found = findAll(root, (element) => element.attributes['id'] === id);
  if (found.length !== 1) throw new Error(`${found.length} elements with id ${id}`);
  return found[0] as HtmlElement;
}

/** The text of an element and its descendants, whitespace collapsed. */
export function textOf(node: HtmlNode): string {
  const raw = (item: HtmlNode): string => (isElement(item) ? item.children.map(raw).join('') : item.text);
  return raw(node).replace(/\s+/g, ' ').trim();
}

/** The raw text content of a raw-text element (script, style). */
export function rawText(element: HtmlElement): string {
  return element.children.map((child) => (isElement(child) ? '' : child.text)).join('');
}
