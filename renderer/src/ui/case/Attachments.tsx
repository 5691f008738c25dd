/**
 * Files in the case view: the draft chips of the note being written (with the file picker), and
 * under each note or mail its files — images as previews, other files as download buttons, files
 * still waiting to be sent or refused by the server said so. Everything is a button: reachable by
 * Tab, opened with Enter or Space; a draft chip is removed with Delete or its × button.
 */
import { useEffect, useMemo, useState } from 'react';
import { isPreviewable } from '../../../../shared/index';
import { useT } from '../../i18n/typing';
import type { EventFiles as CachedFiles, StoredUpload, UploadRefusal } from '../../session/attachments';
import { useLanguage, useSession } from '../hooks';
import type { DraftFiles } from './useDraftFiles';

/** "842 B", "12 kB", "1,4 MB" (Finnish: kt, Mt). */
export function useFileSize(): (bytes: number) => string {
  const { t } = useT();
  const lang = useLanguage();
  return useMemo(() => {
    const one = new Intl.NumberFormat(lang === 'fi' ? 'fi-FI' : 'sv-SE', { maximumFractionDigits: 1 });
    return (bytes: number) =>
      bytes < 1024
        ? t('case:attachments.sizeB', { n: bytes })
        : bytes < 1024 * 1024
          ? t('case:attachments.sizeKb', { n: one.format(bytes / 1024) })
          : t('case:attachments.sizeMb', { n: one.format(bytes / (1024 * 1024)) });
  }, [lang, t]);
}

/** The chips of the files chosen for the note being written, and the hidden file picker. */
export function DraftChips({ drafts }: { drafts: DraftFiles }) {
  const { t } = useT();
  const size = useFileSize();
  return (
    <>
      <input
        ref={drafts.inputRef}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        data-testid="attach-input"
        onChange={(e) => {
          drafts.add(e.target.files ?? []);
          e.target.value = '';
        }}
      />
      {drafts.files.length > 0 && (
        <ul className="draft-files" aria-label={t('case:attachments.drafts')} data-testid="draft-files">
          {drafts.files.map((f) => (
            <li
              key={f.id}
              className="file-chip"
              tabIndex={0}
              aria-label={`${f.name}, ${size(f.size)}`}
              data-testid="draft-file"
              onKeyDown={(e) => {
                if (e.key === 'Delete' || e.key === 'Backspace') {
                  e.preventDefault();
                  const next = (e.currentTarget.nextElementSibling ?? e.currentTarget.previousElementSibling) as HTMLElement | null;
                  drafts.remove(f.id);
                  (next ?? document.getElementById('note-input'))?.focus();
                }
              }}
            >
              {f.thumbnail ? <img className="thumb" src={f.thumbnail} alt="" /> : <span className="file-icon" aria-hidden="true" />}
              <span className="file-name">{f.name}</span>
              <span className="muted">{size(f.size)}</span>
              <button type="button" className="ghost icon" aria-label={t('case:attachments.remove', { name: f.name })} onClick={() => drafts.remove(f.id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {drafts.error && <p className="error">{drafts.error}</p>}
    </>
  );
}

/** A file as the timeline shows it: the server's record, this desk's upload, or both. */
export interface FileView {
  id: string;
  name: string;
  size: number;
  contentType: string;
  /** The bytes when this desk has them (its own upload): shown without asking the server. */
  local: Blob | null;
  state: 'server' | 'waiting' | 'refused';
  refusal?: UploadRefusal;
}

function viewsOf(files: CachedFiles): Map<string, FileView[]> {
  const byEvent = new Map<string, Map<string, FileView>>();
  const put = (eventId: string | null, view: FileView) => {
    if (eventId === null) return;
    let m = byEvent.get(eventId);
    if (!m) byEvent.set(eventId, (m = new Map()));
    const known = m.get(view.id);
    m.set(view.id, known ? { ...view, local: known.local ?? view.local, state: 'server' } : view);
  };
  const fromUpload = (u: StoredUpload): FileView => ({
    id: u.id,
    name: u.name,
    size: u.size,
    contentType: u.type,
    local: u.blob,
    state: u.state === 'refused' ? 'refused' : u.state === 'uploaded' ? 'server' : 'waiting',
    ...(u.refusal ? { refusal: u.refusal } : {}),
  });
  for (const u of files.uploads) put(u.eventId, fromUpload(u));
  for (const r of files.records) put(r.eventId, { id: r.id, name: r.name, size: r.size, contentType: r.contentType, local: null, state: 'server' });
  return new Map([...byEvent].map(([id, m]) => [id, [...m.values()]]));
}

/** The files of a timeline's events (and of its notes still in the outbox), kept current. */
export function useTimelineFiles(caseId: string, eventIds: readonly string[]): Map<string, FileView[]> {
  const session = useSession();
  const [files, setFiles] = useState<Map<string, FileView[]>>(() => new Map());
  const key = eventIds.join(',');
  // The slices holding the bootstrap's records of this case (more may arrive while it syncs).
  const slices = session.attachments.slicesOfCase(caseId).join(',');
  useEffect(() => {
    if (key === '') return undefined;
    return session.attachments.watch(key.split(','), [], (found) => setFiles(viewsOf(found)), caseId);
  }, [session, key, caseId, slices]);
  return files;
}

/** An object URL for a file's bytes (local, or fetched with the session's token), let go on unmount. */
function useFileUrl(file: FileView, inline: boolean, wanted: boolean): { url: string | null; failed: boolean } {
  const session = useSession();
  const [state, setState] = useState<{ url: string | null; failed: boolean }>({ url: null, failed: false });
  useEffect(() => {
    if (!wanted) return undefined;
    let url: string | null = null;
    let gone = false;
    const bytes = file.local ? Promise.resolve(file.local) : file.state === 'server' ? session.attachments.fetch(file.id, inline) : Promise.reject(new Error('not uploaded'));
    bytes.then(
      (blob) => {
        if (gone) return;
        url = URL.createObjectURL(blob);
        setState({ url, failed: false });
      },
      () => !gone && setState({ url: null, failed: true }),
    );
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [session, file.id, file.local, file.state, inline, wanted]);
  return state;
}

function refusalText(t: ReturnType<typeof useT>['t'], file: FileView): string {
  const r = file.refusal;
  if (r?.code === 'too_large') return t('case:attachments.tooLarge', { name: file.name, limit: r.limitMb ?? '?' });
  if (r?.code === 'empty') return t('case:attachments.empty', { name: file.name });
  return t('case:attachments.forbidden', { name: file.name });
}

/** Saves a file through an <a download> of its bytes. */
async function save(file: FileView, fetchBytes: () => Promise<Blob>): Promise<void> {
  const blob = file.local ?? (await fetchBytes());
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function FileItem({ file }: { file: FileView }) {
  const { t } = useT();
  const session = useSession();
  const size = useFileSize();
  const image = isPreviewable(file.contentType);
  const preview = useFileUrl(file, true, image && file.state !== 'refused');
  const [failed, setFailed] = useState(false);
  if (file.state === 'refused') {
    return (
      <li className="file refused" data-testid="file-refused">
        <span className="chip danger">{refusalText(t, file)}</span>
      </li>
    );
  }
  const label = t('case:attachments.download', { name: file.name, size: size(file.size) });
  const download = () => {
    setFailed(false);
    save(file, () => session.attachments.fetch(file.id, false)).catch(() => setFailed(true));
  };
  return (
    <li className={`file ${image ? 'image' : ''}`} data-testid="file">
      {image && preview.url ? (
        <button type="button" className="preview" onClick={download} aria-label={label} title={label}>
          <img src={preview.url} alt={t('case:attachments.preview', { name: file.name })} data-testid="file-preview" />
        </button>
      ) : (
        // Named by what it shows (the file and its size; "download …" as its description), so the
        // name a screen reader or voice control uses is the text on the button.
        <button type="button" className="secondary file-button" onClick={download} title={label}>
          <span className="file-icon" aria-hidden="true" />
          <span className="file-name">{file.name}</span> <span className="muted">{size(file.size)}</span>
        </button>
      )}
      {file.state === 'waiting' && <span className="chip pending tiny">{t('case:attachments.waiting')}</span>}
      {(failed || (image && preview.failed && file.state === 'server')) && (
        <span className="chip warn tiny" role="status">
          {t('case:attachments.unavailable', { name: file.name })}
        </span>
      )}
    </li>
  );
}

/** The files under a note or mail. */
export function EventFiles({ files }: { files: readonly FileView[] | undefined }) {
  const { t } = useT();
  if (!files || files.length === 0) return null;
  return (
    <ul className="event-files" aria-label={t('case:attachments.title')} data-testid="event-files">
      {files.map((f) => (
        <FileItem key={f.id} file={f} />
      ))}
    </ul>
  );
}
