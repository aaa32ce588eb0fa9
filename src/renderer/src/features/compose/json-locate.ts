// Where each value of a JSON text sits, by JSON Pointer, so schema issues can be underlined in the editor.
// Only called on text that JSON.parse accepted, so the scanner can stay small.

export interface JsonSpan {
  /** the value, from its first to just past its last character */
  from: number;
  to: number;
  /** the property name (quotes included) when the value is an object member */
  keyFrom?: number;
  keyTo?: number;
}

const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/** Every value's span keyed by JSON Pointer ('' is the root). */
export function locateJson(text: string): Map<string, JsonSpan> {
  const spans = new Map<string, JsonSpan>();
  let i = 0;

  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++; // closing quote
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (pointer: string, key?: { from: number; to: number }): void => {
    ws();
    const from = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      while (i < text.length && text[i] !== '}') {
        const keyFrom = i;
        const name = string();
        const keyTo = i;
        ws();
        i++; // colon
        value(`${pointer}/${escapePointer(name)}`, { from: keyFrom, to: keyTo });
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '[') {
      i++;
      ws();
      let index = 0;
      while (i < text.length && text[i] !== ']') {
        value(`${pointer}/${index++}`);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !',}] \t\n\r'.includes(text[i] as string)) i++;
    }
    spans.set(pointer, key ? { from, to: i, keyFrom: key.from, keyTo: key.to } : { from, to: i });
  };

  value('');
  return spans;
}

/** `/object/lines/0/amount` -> `object.lines[0].amount`; '' -> `(root)`. */
export function displayPointer(pointer: string): string {
  if (pointer === '') return '(root)';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
