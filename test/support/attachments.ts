/** Uploads and downloads of attachments as a desk makes them (raw bytes with the naming headers). */
import { randomUUID } from 'node:crypto';
import { ATTACHMENT_HEADERS, ROUTES } from '../../shared/api';

export interface Upload {
  id?: string;
  caseId: string;
  name: string;
  bytes: Uint8Array;
  /** The declared type (`x-file-type`), believed for plain text only. */
  type?: string;
  contentType?: string;
}

export interface RawReply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field
  body: any;
  bytes: Buffer;
}

/** A raw answer: its status, headers, bytes and the body as JSON when it is JSON. */
export async function read(response: Response): Promise<RawReply> {
  const bytes = Buffer.from(await response.arrayBuffer());
  let body: unknown = null;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    body = null;
  }
  return { status: response.status, headers: response.headers, body, bytes };
}

export async function upload(base: string, token: string | undefined, file: Upload): Promise<RawReply & { id: string }> {
  const id = file.id ?? randomUUID();
  const headers: Record<string, string> = {
    'content-type': file.contentType ?? 'application/octet-stream',
    [ATTACHMENT_HEADERS.id]: id,
    [ATTACHMENT_HEADERS.name]: encodeURIComponent(file.name),
    [ATTACHMENT_HEADERS.caseId]: file.caseId,
    ...(file.type === undefined ? {} : { 'x-file-type': file.type }),
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
  };
  const response = await fetch(`${base}${ROUTES.attachments}`, { method: 'POST', headers, body: Buffer.from(file.bytes) });
  return { ...(await read(response)), id };
}

export async function download(base: string, token: string | undefined, id: string, inline = false): Promise<RawReply> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  return read(await fetch(`${base}${ROUTES.attachment(id)}${inline ? '?inline=1' : ''}`, { headers }));
}
