// A small XML tokenizer for test reports: elements and attributes only, checked for nesting. It is
// deliberately not a general XML parser: a DOCTYPE is refused (internal entity definitions are how
// "billion laughs" documents expand without bound), and the only references expanded are the five
// predefined entities and numeric character references. Comments and processing instructions are
// skipped; text and CDATA reach a handler only when it asks for them (a failure's message and output).

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "XmlError";
  }
}

export interface XmlHandler {
  open(name: string, attributes: ReadonlyMap<string, string>): void;
  close(name: string): void;
  /**
   * Character data inside an element, in pieces as they come (text between tags, CDATA contents);
   * `read` expands the references, so a handler that ignores a piece costs nothing.
   */
  text?(read: () => string): void;
}

const MAX_DEPTH = 256;
const NAME = /[^\s/>=<"'!?&]+/y;
const SPACE = /\s*/y;
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Walks `text`, calling the handler for each element; throws XmlError (with the line) on bad input. */
export function scanXml(text: string, handler: XmlHandler): void {
  const stack: string[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let roots = 0;
  const fail = (message: string, at = pos): never => {
    throw new XmlError(message, lineAt(text, at));
  };
  const skipPast = (terminator: string, what: string): void => {
    const end = text.indexOf(terminator, pos);
    if (end === -1) fail(`${what} is not closed`);
    pos = end + terminator.length;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) return fail("expected a name");
    pos = NAME.lastIndex;
    return m[0];
  };
  const skipSpace = (): void => {
    SPACE.lastIndex = pos;
    SPACE.exec(text);
    pos = SPACE.lastIndex;
  };

  const onText = handler.text?.bind(handler);
  for (;;) {
    const lt = text.indexOf("<", pos);
    if (lt === -1) break;
    if (onText && stack.length > 0 && lt > pos) {
      const start = pos;
      onText(() => decodeReferences(text.slice(start, lt), (message) => fail(`${message} in text`, start)));
    }
    pos = lt;
    if (text.startsWith("<?", pos)) skipPast("?>", "a processing instruction");
    else if (text.startsWith("<!--", pos)) skipPast("-->", "a comment");
    else if (text.startsWith("<![CDATA[", pos)) {
      skipPast("]]>", "a CDATA section");
      const end = pos - 3;
      if (onText && stack.length > 0) onText(() => text.slice(lt + 9, end));
    } else if (/^<!DOCTYPE/i.test(text.slice(pos, pos + 9)))
      fail("a DOCTYPE is not accepted in a test report");
    else if (text.startsWith("<!", pos)) fail("unexpected markup declaration");
    else if (text.startsWith("</", pos)) {
      pos += 2;
      const name = readName();
      skipSpace();
      if (text[pos] !== ">") fail(`expected ">" to end </${name}`);
      pos++;
      const open = stack.pop();
      if (open !== name)
        fail(open === undefined ? `</${name}> closes nothing` : `</${name}> closes <${open}>`);
      handler.close(name);
    } else {
      pos++;
      const name = readName();
      const attributes = new Map<string, string>();
      for (;;) {
        const before = pos;
        skipSpace();
        if (text.startsWith("/>", pos) || text[pos] === ">") break;
        if (pos === before) fail(`expected whitespace before an attribute of <${name}>`);
        const attr = readName();
        skipSpace();
        if (text[pos] !== "=") fail(`expected "=" after attribute ${attr}`);
        pos++;
        skipSpace();
        const quote = text[pos];
        if (quote !== '"' && quote !== "'") fail(`expected a quoted value for attribute ${attr}`);
        const end = text.indexOf(quote as string, pos + 1);
        if (end === -1) fail(`the value of attribute ${attr} is not closed`);
        const raw = text.slice(pos + 1, end);
        if (raw.includes("<")) fail(`"<" in the value of attribute ${attr}`);
        if (attributes.has(attr)) fail(`attribute ${attr} appears twice in <${name}>`);
        attributes.set(
          attr,
          decodeReferences(raw, (message) => fail(`${message} in attribute ${attr}`)),
        );
        pos = end + 1;
      }
      const selfClosing = text[pos] === "/";
      pos += selfClosing ? 2 : 1;
      if (stack.length === 0 && ++roots > 1) fail("more than one root element", lt);
      if (stack.length >= MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH} levels`, lt);
      handler.open(name, attributes);
      if (selfClosing) handler.close(name);
      else stack.push(name);
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]}> is not closed`, text.length);
  if (roots === 0) fail("no element found", text.length);
}

/** Expands &lt; &gt; &amp; &quot; &apos; and &#N; / &#xN;, and nothing else. */
export function decodeReferences(raw: string, fail: (message: string) => never): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&([^;&\s]*);?/g, (match, body: string) => {
    if (!match.endsWith(";")) return fail(`"&" that starts no reference`);
    const named = PREDEFINED[body];
    if (named !== undefined && Object.hasOwn(PREDEFINED, body)) return named;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(body);
    if (!numeric) return fail(`unknown entity &${body}; (only the five XML entities and numeric references)`);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return fail(`&${body}; is not a valid character`);
    }
    return String.fromCodePoint(code);
  });
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
