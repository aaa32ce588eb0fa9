// An inbox's search on PostgreSQL with SQLite's answers. SQLite runs `CAST(body AS TEXT) LIKE '%text%'`: a substring
// of the bytes received (up to the first NUL, where SQLite's LIKE stops), case-insensitive for ASCII letters only,
// whatever the bytes are. PostgreSQL cannot read arbitrary bytes as UTF-8 text (convert_from fails on invalid
// sequences), so the body is read as LATIN1, one character per byte, and the search text's UTF-8 bytes are turned
// into the same characters: a match of characters is then a match of bytes. Path and headers are text in both.
// ASCII case folding by translate(), not lower()/ILIKE, which would also fold non-ASCII letters.

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

const fold = (sql: string) => `translate(${sql}, '${UPPER}', '${LOWER}')`;
const foldAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** the body's bytes before its first NUL (text cannot hold one), one LATIN1 character each */
const BODY_TEXT = `convert_from(CASE WHEN position('\\x00'::bytea IN body) > 0
  THEN substring(body FROM 1 FOR position('\\x00'::bytea IN body) - 1) ELSE body END, 'LATIN1')`;

/** LIKE patterns for `text`: over the body's bytes (as LATIN1 characters) and over path and headers */
export function searchPatterns(text: string): { body: string; text: string } {
  return {
    body: contains(foldAscii(Buffer.from(text, 'utf8').toString('latin1'))),
    text: contains(foldAscii(text)),
  };
}

/** the condition, given the placeholders of searchPatterns' body and text patterns */
export function searchSql(bodyParam: string, textParam: string): string {
  return `(${fold(BODY_TEXT)} LIKE ${bodyParam} ESCAPE '\\' OR ${fold('path')} LIKE ${textParam} ESCAPE '\\'
    OR ${fold('headers')} LIKE ${textParam} ESCAPE '\\')`;
}
