/**
 * A small, strict `multipart/form-data` parser (RFC 7578 over RFC 2046 §5.1), so the OpenAI fake reads
 * uploads the way a real server does and refuses malformed ones. Bodies are Buffers: file parts are binary.
 */

export interface MultipartPart {
  /** The form field's name, from `Content-Disposition: form-data; name="…"`. */
  name: string;
  filename?: string;
  contentType?: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  data: Buffer;
}

export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

/** The boundary parameter of a `multipart/form-data` Content-Type, or a MultipartError saying what is wrong. */
export function boundaryOf(contentType: string | undefined): string {
  if (!contentType) throw new MultipartError('Content-Type header is missing');
  const [type, ...params] = splitHeaderParams(contentType);
  if (type?.toLowerCase() !== 'multipart/form-data') throw new MultipartError(`Content-Type is ${type}, not multipart/form-data`);
  const boundary = params.find((p) => p.name === 'boundary')?.value;
  if (!boundary) throw new MultipartError('Content-Type has no boundary parameter');
  if (boundary.length > 70 || !/^[0-9A-Za-z'()+_,\-./:=? ]*[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary)) {
    throw new MultipartError('the multipart boundary is not valid (RFC 2046: 1–70 characters from a restricted set)');
  }
  return boundary;
}

/**
 * Splits a body into its parts. Checks: the first delimiter, a CRLF after each delimiter, each part
 * terminated by CRLF + delimiter, the close delimiter `--boundary--`, a form-data Content-Disposition
 * with a name on every part.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The preamble (ignored) ends at the first delimiter, which is either at the very start or after CRLF.
  let at = body.subarray(0, dashBoundary.length).equals(dashBoundary) ? 0 : body.indexOf(delimiter);
  if (at < 0) throw new MultipartError('the body does not contain the boundary');
  if (at > 0) at += 2; // skip the CRLF in front of the first delimiter
  const parts: MultipartPart[] = [];
  for (;;) {
    at += dashBoundary.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) break; // close delimiter: the epilogue is ignored
    while (body[at] === 0x20 || body[at] === 0x09) at++; // transport padding
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw new MultipartError('a boundary line is not followed by CRLF');
    const start = at + 2;
    const end = body.indexOf(delimiter, start);
    if (end < 0) throw new MultipartError(`part ${parts.length + 1} is not terminated by a boundary (body cut short?)`);
    parts.push(parsePart(body.subarray(start, end), parts.length + 1));
    at = end + 2;
  }
  return parts;
}

function parsePart(raw: Buffer, index: number): MultipartPart {
  let headerEnd: number;
  let dataStart: number;
  if (raw[0] === 0x0d && raw[1] === 0x0a) {
    headerEnd = 0;
    dataStart = 2;
  } else {
    headerEnd = raw.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new MultipartError(`part ${index} has no blank line after its headers`);
    dataStart = headerEnd + 4;
  }
  const headers: Record<string, string> = {};
  for (const line of raw.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`part ${index} has a malformed header line`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const disposition = headers['content-disposition'];
  if (!disposition) throw new MultipartError(`part ${index} has no Content-Disposition header`);
  const [kind, ...params] = splitHeaderParams(disposition);
  if (kind?.toLowerCase() !== 'form-data') throw new MultipartError(`part ${index}'s Content-Disposition is not form-data`);
  const name = params.find((p) => p.name === 'name')?.value;
  if (name === undefined || name === '') throw new MultipartError(`part ${index} has no name`);
  const filename = params.find((p) => p.name === 'filename')?.value;
  return { name, filename, contentType: headers['content-type'], headers, data: raw.subarray(dataStart) };
}

/** `type; a=1; b="x;y"` → ['type', {name:'a',value:'1'}, {name:'b',value:'x;y'}] (quoted strings unescaped). */
function splitHeaderParams(value: string): [string | undefined, ...{ name: string; value: string }[]] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === '\\' && i + 1 < value.length) {
      current += c + value[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      items.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  items.push(current.trim());
  const [first, ...rest] = items;
  const params = rest.filter(Boolean).map((item) => {
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    let v = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    // Browsers and undici percent-encode quotes and line breaks inside quoted names (WHATWG form encoding).
    v = v.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
    return { name, value: v };
  });
  return [first, ...params];
}
