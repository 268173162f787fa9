/** Deeper nesting than any desired-state file needs; the scanner stops there instead of exhausting the stack. */
const MAX_DEPTH = 512;

/** Where strict JSON breaks, and why. */
export interface JsonSyntaxError {
  /** Offset into the text (UTF-16 code units, as JavaScript strings count). */
  offset: number;
  message: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * The first place where `text` is not strict JSON (RFC 8259), or `undefined` when it is. `JSON.parse` says why
 * but not always where (Node 20 gives no position for an unexpected token), and a file error needs the line.
 * @example jsonSyntaxError('{"a": 1,}') // { offset: 8, message: 'trailing comma before "}"' }
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const scanner = new JsonScanner(text);
  try {
    scanner.document();
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, message: error.message };
    throw error;
  }
}

class JsonScanner {
  private at = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.value(0);
    this.whitespace();
    if (this.at < this.text.length) this.stop(`unexpected ${this.shown()} after the JSON value`);
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) this.stop(`nesting deeper than ${MAX_DEPTH} levels`);
    this.whitespace();
    const character = this.text[this.at];
    if (character === '{') this.object(depth);
    else if (character === '[') this.array(depth);
    else if (character === '"') this.string();
    else if (character === '-' || (character !== undefined && character >= '0' && character <= '9'))
      this.number();
    else if (!['true', 'false', 'null'].some((word) => this.word(word))) {
      this.stop(`expected a value, got ${this.shown()}`);
    }
  }

  private object(depth: number): void {
    this.at++;
    this.whitespace();
    if (this.take('}')) return;
    for (;;) {
      this.whitespace();
      if (this.text[this.at] === '}') this.stop('trailing comma before "}"');
      if (this.text[this.at] !== '"')
        this.stop(`expected a member name in double quotes, got ${this.shown()}`);
      this.string();
      this.whitespace();
      if (!this.take(':')) this.stop(`expected ":" after the member name, got ${this.shown()}`);
      this.value(depth + 1);
      this.whitespace();
      if (this.take('}')) return;
      if (!this.take(',')) this.stop(`expected "," or "}" after a member, got ${this.shown()}`);
    }
  }

  private array(depth: number): void {
    this.at++;
    this.whitespace();
    if (this.take(']')) return;
    for (;;) {
      this.whitespace();
      if (this.text[this.at] === ']') this.stop('trailing comma before "]"');
      this.value(depth + 1);
      this.whitespace();
      if (this.take(']')) return;
      if (!this.take(',')) this.stop(`expected "," or "]" after an element, got ${this.shown()}`);
    }
  }

  private string(): void {
    const start = this.at;
    this.at++;
    for (;;) {
      const character = this.text[this.at];
      if (character === undefined) this.stop('unterminated string', start);
      if (character === '"') break;
      if (character! < ' ') this.stop('control character in a string: write it as an escape such as \\n');
      if (character === '\\') {
        const escaped = this.text[this.at + 1];
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) {
            this.stop('expected 4 hex digits after \\u');
          }
          this.at += 4;
        } else if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) {
          this.stop(`invalid escape ${JSON.stringify(`\\${escaped ?? ''}`)} in a string`);
        }
        this.at++;
      }
      this.at++;
    }
    this.at++;
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at));
    if (match === null) this.stop(`expected a number, got ${this.shown()}`);
    this.at += match![0].length;
  }

  private word(word: string): boolean {
    if (!this.text.startsWith(word, this.at)) return false;
    this.at += word.length;
    return true;
  }

  private take(character: string): boolean {
    if (this.text[this.at] !== character) return false;
    this.at++;
    return true;
  }

  private whitespace(): void {
    while (/^[ \t\n\r]$/.test(this.text[this.at] ?? '')) this.at++;
  }

  private shown(): string {
    const character = this.text[this.at];
    return character === undefined ? 'the end of the file' : JSON.stringify(character);
  }

  private stop(message: string, offset = this.at): never {
    throw new Stop(offset, message);
  }
}
