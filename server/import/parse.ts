/**
 * Reading an ERP/CRM export: CSV (a header row naming the columns of `IMPORT_COLUMNS`, comma
 * or semicolon separated, UTF-8 with or without a BOM) or JSON (an array of objects with the
 * same keys, or `{ "rows": [...] }`). Each data row keeps its line: the CSV's line in the file
 * (the header is line 1), the JSON object's number (1 for the first).
 */
import { parse } from 'csv-parse/sync';
import { IMPORT_COLUMNS } from '../../shared/customersAdmin';

export interface RawRow {
  line: number;
  values: Record<string, unknown>;
}

export type ImportFormat = 'csv' | 'json';

export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** The format from a file name or a content type; JSON when the text starts like JSON. */
export function formatOf(hint: string | null, text: string): ImportFormat {
  if (hint && /json/i.test(hint)) return 'json';
  if (hint && /csv|text\/plain/i.test(hint)) return 'csv';
  return /^\s*[[{]/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'csv';
}

export function parseImport(text: string, format: ImportFormat): RawRow[] {
  const body = text.replace(/^\uFEFF/, '');
  return format === 'json' ? parseJson(body) : parseCsv(body);
}

function parseJson(text: string): RawRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ImportFileError(`not valid JSON: ${(e as Error).message}`);
  }
  return rowsOfJson(data);
}

/** The rows of a JSON export already parsed (the route's body). */
export function rowsOfJson(data: unknown): RawRow[] {
  const rows = Array.isArray(data) ? data : data !== null && typeof data === 'object' && Array.isArray((data as { rows?: unknown }).rows) ? (data as { rows: unknown[] }).rows : null;
  if (rows === null) throw new ImportFileError('expected an array of rows (or {"rows": [...]})');
  return rows.map((values, i) => ({
    line: i + 1,
    values: values !== null && typeof values === 'object' && !Array.isArray(values) ? (values as Record<string, unknown>) : { org_number: undefined },
  }));
}

function parseCsv(text: string): RawRow[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof records;
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? null;
    throw new ImportFileError(`not valid CSV: ${(e as Error).message}`, line);
  }
  const [header, ...data] = records;
  if (!header) return [];
  const columns = header.record.map((c) => c.trim().toLowerCase());
  const unknown = columns.filter((c) => c !== '' && !(IMPORT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new ImportFileError(`unknown columns: ${unknown.join(', ')} (expected: ${IMPORT_COLUMNS.join(', ')})`, 1);
  if (!columns.includes('org_number')) throw new ImportFileError('the header has no org_number column', 1);
  return data.map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])),
  }));
}
