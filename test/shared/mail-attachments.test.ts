import { describe, expect, it } from 'vitest';
import { ATTACHMENT_NAME_MAX, cleanFileName, isPreviewable } from '../../shared/mail';

describe('file names and previews', () => {
  it('keeps the last part of a path, without control or direction characters, within the limit', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\anna\\Skärmbild.png')).toBe('Skärmbild.png');
    expect(cleanFileName('faktura\u202egnp.exe')).toBe('fakturagnp.exe');
    expect(cleanFileName('rad\r\nbrytning.txt')).toBe('radbrytning.txt');
    expect(cleanFileName(' .hidden. ')).toBe('hidden');
    expect(cleanFileName('')).toBe('file');
    expect(cleanFileName('/')).toBe('file');
    const long = cleanFileName(`${'ä'.repeat(500)}.xlsx`);
    expect([...long]).toHaveLength(ATTACHMENT_NAME_MAX);
    expect(long.endsWith('.xlsx')).toBe(true);
  });

  it('previews raster images only', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) expect(isPreviewable(type)).toBe(true);
    for (const type of ['image/svg+xml', 'text/html', 'application/pdf', 'application/x-msdownload']) expect(isPreviewable(type)).toBe(false);
  });
});
