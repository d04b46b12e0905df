import { TriageError } from '../errors.js';
import { nextTurn } from '../pause.js';
import type { XmlSource } from './xml-source.js';

// A small XML reader for DataPower exports with a bound on every kind of work: elements,
// attributes (per element and in all), nesting depth, the length of an attribute value and of an
// element's text. It reads the input once, left to right (every scan is an indexOf from the current
// position, nothing is rescanned), lets the event loop turn every SLICE positions, and keeps only
// the elements the caller asks for: the rest is checked and counted, then dropped. So memory is the
// kept tree, and time is linear in the input, whatever the input holds. A refusal names the limit.
//
// Well-formedness is checked as far as the export needs: matching end tags, quoted attribute
// values without "<", no duplicate attributes, one root, closed comments, CDATA and processing
// instructions. A DOCTYPE or ENTITY declaration is refused by name where it is met; entities other
// than the five predefined ones and character references stay as written.

export interface XmlLimits {
  /** Elements in the whole document (input.xml.maxElements). */
  readonly maxElements: number;
  /** Attributes on one element (input.xml.maxAttributesPerElement). */
  readonly maxAttributesPerElement: number;
  /** Attributes in the whole document (input.xml.maxAttributes). */
  readonly maxAttributes: number;
  /** Nesting depth, the root being 1 (input.xml.maxDepth). */
  readonly maxDepth: number;
  /** Length of one attribute value (input.xml.maxAttributeChars; bytes when reading bytes). */
  readonly maxAttributeChars: number;
  /** Length of the text directly inside one element (input.xml.maxTextChars; bytes when reading bytes). */
  readonly maxTextChars: number;
}

export interface XmlElement {
  readonly tag: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The element's own text, entity references of the five predefined entities decoded, trimmed. */
  readonly text: string;
}

/** What was read, for tests and the bench: the work done is counted, not timed. */
export interface XmlMeter {
  chars: number;
  elements: number;
  attributes: number;
  kept: number;
}

/** Which elements to keep: by tag, depth (root = 1) and whether the parent is kept. */
export type KeepElement = (tag: string, depth: number) => boolean;

/** Characters read between two turns of the event loop. */
const SLICE = 256 * 1024;
/** Element and attribute names of an export are short; a longer one is garbage, said so at once. */
const MAX_NAME = 256;
const NO_ATTRS: ReadonlyMap<string, string> = new Map();

interface Open {
  readonly tag: string;
  /** Undefined when the element is not kept. */
  readonly node?: { tag: string; attrs: ReadonlyMap<string, string>; children: XmlElement[]; text: string };
  textChars: number;
}

export async function readXml(text: XmlSource, what: string, limits: XmlLimits, keep: KeepElement, meter: XmlMeter = { chars: 0, elements: 0, attributes: 0, kept: 0 }): Promise<XmlElement> {
  const reader = new Reader(text, what, limits, keep, meter);
  while (!reader.step(SLICE)) await nextTurn();
  return reader.root();
}

class Reader {
  private at = 0;
  private readonly stack: Open[] = [];
  private top: XmlElement | undefined;
  private rootClosed = false;

  constructor(
    private readonly text: XmlSource,
    private readonly what: string,
    private readonly limits: XmlLimits,
    private readonly keep: KeepElement,
    private readonly meter: XmlMeter,
  ) {}

  root(): XmlElement {
    if (!this.top) throw this.malformed(this.text.length, 'no root element');
    return this.top;
  }

  /** Reads on for about `budget` characters; true at the end of the document. */
  step(budget: number): boolean {
    const stop = Math.min(this.text.length, this.at + budget);
    while (this.at < stop) this.next();
    this.meter.chars = this.at;
    if (this.at < this.text.length) return false;
    if (this.stack.length > 0) throw this.malformed(this.text.length, `<${(this.stack.at(-1) as Open).tag}> is never closed (the document is cut off?)`);
    return true;
  }

  private next(): void {
    const { text } = this;
    const lt = text.indexOf('<', this.at);
    const end = lt === -1 ? text.length : lt;
    if (end > this.at) this.chars(this.at, end);
    this.at = end;
    if (lt === -1) return;
    if (text.startsWith('<?', lt)) this.at = this.skip(lt, '?>', 'a processing instruction');
    else if (text.startsWith('<!--', lt)) this.at = this.skip(lt, '-->', 'a comment');
    else if (text.startsWith('<![CDATA[', lt)) {
      const close = this.skip(lt, ']]>', 'a CDATA section');
      this.addText(lt, close - 3 - (lt + 9), () => text.text(lt + 9, close - 3), false);
      this.at = close;
    } else if (text.startsWith('<!', lt)) {
      const word = text.text(lt + 2, lt + 9).toUpperCase();
      // No entity is ever expanded: billion laughs, external entities. Refused by name.
      if (word.startsWith('DOCTYPE') || word.startsWith('ENTITY')) {
        throw new TriageError('INPUT_UNREADABLE', `${this.what} declares a DOCTYPE or ENTITY; DataPower exports have none, and tls-triage does not process DTDs (entity expansion is refused)`);
      }
      throw this.malformed(lt, 'a declaration (<!...) where an element was expected');
    }
    else if (text.startsWith('</', lt)) this.endTag(lt);
    else this.startTag(lt);
  }

  private skip(from: number, terminator: string, what: string): number {
    const close = this.text.indexOf(terminator, from);
    if (close === -1) throw this.malformed(from, `${what} is never closed`);
    return close + terminator.length;
  }

  /** Character data between markup. */
  private chars(from: number, to: number): void {
    if (this.stack.length === 0) {
      for (let at = from; at < to; at++) {
        if (!isSpace(this.text.code(at))) throw this.malformed(at, this.rootClosed ? 'text after the root element' : 'text before the root element');
      }
      return;
    }
    this.addText(from, to - from, () => this.text.text(from, to), true);
  }

  /** Text of `length` positions; read (decoded) only when its element is kept. */
  private addText(at: number, length: number, value: () => string, decode: boolean): void {
    const open = this.stack.at(-1);
    if (!open) throw this.malformed(at, 'text outside the root element');
    open.textChars += length;
    if (open.textChars > this.limits.maxTextChars) this.tooMuch(`<${open.tag}> holds more than ${this.limits.maxTextChars} characters of text`, 'maxTextChars');
    if (open.node) open.node.text += decode ? decodeEntities(value()) : value();
  }

  /** The name starting at `from`, and where it ends (a position, whatever the characters' width in bytes). */
  private name(from: number): [string, number] {
    // Looks at most MAX_NAME + 1 positions: a "name" running on for megabytes is not read to its end.
    let end = from;
    while (end < this.text.length && end - from <= MAX_NAME && !isNameEnd(this.text.code(end))) end++;
    if (end - from > MAX_NAME) throw this.malformed(from, `a name longer than ${MAX_NAME} characters`);
    const name = this.text.text(from, end);
    if (name === '' || /^[\d.-]/.test(name)) throw this.malformed(from, name === '' ? 'a name was expected' : `"${name.slice(0, 40)}" is not a valid name`);
    return [name, end];
  }

  private startTag(lt: number): void {
    const { text, limits, meter } = this;
    if (this.rootClosed) throw this.malformed(lt, 'a second root element');
    const [tag, tagEnd] = this.name(lt + 1);
    meter.elements += 1;
    if (meter.elements > limits.maxElements) this.tooMuch(`holds more than ${limits.maxElements} XML elements`, 'maxElements');
    const depth = this.stack.length + 1;
    if (depth > limits.maxDepth) this.tooMuch(`nests elements more than ${limits.maxDepth} deep`, 'maxDepth');
    const parent = this.stack.at(-1);
    const kept = (parent === undefined || parent.node !== undefined) && this.keep(tag, depth);
    let attrs: Map<string, string> | undefined;
    let count = 0;
    let at = tagEnd;
    for (;;) {
      const start = at;
      while (at < text.length && isSpace(text.code(at))) at++;
      if (at >= text.length) throw this.malformed(lt, `<${tag}> is cut off`);
      const c = text.code(at);
      if (c === GT || (c === SLASH && text.code(at + 1) === GT)) break;
      if (at === start) throw this.malformed(at, `white space expected between the attributes of <${tag}>`);
      const [name, nameEnd] = this.name(at);
      at = nameEnd;
      while (isSpace(text.code(at))) at++;
      if (text.code(at) !== EQUALS) throw this.malformed(at, `attribute ${name.slice(0, 40)} of <${tag}> has no value`);
      at++;
      while (isSpace(text.code(at))) at++;
      const quote = text.code(at);
      if (quote !== QUOTE && quote !== APOSTROPHE) throw this.malformed(at, `the value of attribute ${name.slice(0, 40)} is not quoted`);
      const close = text.indexOf(String.fromCharCode(quote), at + 1);
      if (close === -1) throw this.malformed(at, `the value of attribute ${name.slice(0, 40)} is never closed`);
      if (close - at - 1 > limits.maxAttributeChars) this.tooMuch(`has an attribute value longer than ${limits.maxAttributeChars} characters (${name.slice(0, 40)} of <${tag}>)`, 'maxAttributeChars');
      const value = text.text(at + 1, close);
      const lessThan = value.indexOf('<');
      if (lessThan !== -1) throw this.malformed(at + 1, `"<" in the value of attribute ${name.slice(0, 40)}`);
      count += 1;
      meter.attributes += 1;
      if (count > limits.maxAttributesPerElement) this.tooMuch(`has an element with more than ${limits.maxAttributesPerElement} attributes (<${tag}>)`, 'maxAttributesPerElement');
      if (meter.attributes > limits.maxAttributes) this.tooMuch(`holds more than ${limits.maxAttributes} XML attributes`, 'maxAttributes');
      if (kept) {
        attrs ??= new Map();
        if (attrs.has(name)) throw this.malformed(start, `attribute ${name.slice(0, 40)} appears twice on <${tag}>`);
        attrs.set(name, decodeEntities(value));
      }
      at = close + 1;
    }
    const selfClosing = text.code(at) === SLASH;
    this.at = at + (selfClosing ? 2 : 1);
    const node = kept ? { tag, attrs: attrs ?? NO_ATTRS, children: [] as XmlElement[], text: '' } : undefined;
    if (node) meter.kept += 1;
    const open: Open = node ? { tag, node, textChars: 0 } : { tag, textChars: 0 };
    this.stack.push(open);
    if (selfClosing) this.close(open);
  }

  private endTag(lt: number): void {
    const [tag, tagEnd] = this.name(lt + 2);
    let at = tagEnd;
    while (isSpace(this.text.code(at))) at++;
    if (this.text.code(at) !== GT) throw this.malformed(at, `</${tag}> is not closed with ">"`);
    const open = this.stack.at(-1);
    if (!open) throw this.malformed(lt, `</${tag}> closes nothing`);
    if (open.tag !== tag) throw this.malformed(lt, `</${tag}> where </${open.tag}> was expected`);
    this.at = at + 1;
    this.close(open);
  }

  private close(open: Open): void {
    this.stack.pop();
    const parent = this.stack.at(-1);
    if (open.node) {
      const element: XmlElement = { tag: open.tag, attrs: open.node.attrs, children: open.node.children, text: open.node.text.trim() };
      if (parent?.node) parent.node.children.push(element);
      else if (!parent) this.top = element;
    }
    if (!parent) this.rootClosed = true;
  }

  private tooMuch(message: string, limit: keyof XmlLimits): never {
    throw new TriageError('INPUT_TOO_LARGE', `${this.what} ${message}: refused (limit input.xml.${limit}; a DataPower domain export stays far below it)`);
  }

  private malformed(at: number, message: string): TriageError {
    const { line, column } = position(this.text, at);
    return new TriageError('INPUT_UNREADABLE', `${this.what} is not well-formed XML (line ${line}, column ${column}): ${message}`);
  }
}

const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

/** White space, "/", ">", "=", "<" and quotes end a name. */
function isNameEnd(code: number): boolean {
  return isSpace(code) || code === SLASH || code === GT || code === EQUALS || code === 0x3c || code === QUOTE || code === APOSTROPHE;
}

function position(text: XmlSource, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n', 0); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The predefined entities and character references only: nothing can grow or recurse. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, ref: string) => {
    if (!ref.startsWith('#')) return NAMED[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
