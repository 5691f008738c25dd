/**
 * Files in the centre: the picker of a new case or a reply (a button, a drop zone and Ctrl+V of a
 * screenshot anywhere on the page), each file shown with its name, size, a thumbnail for a
 * picture, its upload's progress and a remove button, and a refusal per file in the customer's
 * words; and the list of a case's files (thumbnails for pictures, every file a link that saves it).
 * Each file is uploaded at once (`ROUTES.centreUploads`); the form names the uploaded ids.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorSchema, ROUTES } from '../../../shared/api';
import { CENTRE_UPLOAD_HEADERS, CentreUploadResponseSchema, type CentreFile } from '../../../shared/centre';
import { ATTACHMENTS_PER_EVENT_MAX, isPreviewable } from '../../../shared/mail';
import { tokenStore } from './api';

type Refusal = 'too_large' | 'type_not_allowed' | 'empty' | 'too_many' | 'too_many_uploads' | 'network' | 'generic';

interface Item {
  key: string;
  name: string;
  size: number;
  /** An object URL of the picture, for its thumbnail. */
  thumb: string | null;
  state: 'uploading' | 'done' | 'refused';
  /** 0..1 while uploading. */
  progress: number;
  id?: string;
  refusal?: Refusal;
  limitMb?: string;
}

/** "842 B", "12 kB", "1,4 MB" in the customer's language. */
export function useFileSize(): (bytes: number) => string {
  const { t, i18n } = useTranslation('files');
  return useMemo(() => {
    const one = new Intl.NumberFormat(i18n.language === 'fi' ? 'fi-FI' : 'sv-SE', { maximumFractionDigits: 1 });
    return (bytes: number) =>
      bytes < 1024 ? t('sizeB', { n: bytes }) : bytes < 1024 * 1024 ? t('sizeKb', { n: one.format(bytes / 1024) }) : t('sizeMb', { n: one.format(bytes / (1024 * 1024)) });
  }, [i18n.language, t]);
}

/** The refusal's words for one file. */
function useRefusalText(): (item: Pick<Item, 'name' | 'refusal' | 'limitMb'>) => string {
  const { t } = useTranslation('files');
  return useCallback(
    (item) => {
      const name = item.name;
      switch (item.refusal) {
        case 'too_large':
          return item.limitMb ? t('errors.too_large', { name, limit: item.limitMb }) : t('errors.too_large_plain', { name });
        case 'type_not_allowed':
          return t('errors.type_not_allowed', { name });
        case 'empty':
          return t('errors.empty', { name });
        case 'too_many':
          return t('errors.too_many', { name, max: ATTACHMENTS_PER_EVENT_MAX });
        case 'too_many_uploads':
          return t('errors.too_many_uploads', { name });
        case 'network':
          return t('errors.network', { name });
        default:
          return t('errors.generic', { name });
      }
    },
    [t],
  );
}

/** One upload with its progress (XMLHttpRequest: fetch reports no upload progress). */
function send(file: Blob, name: string, onProgress: (share: number) => void): { done: Promise<{ id: string } | { refusal: Refusal; limitMb?: string }>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ id: string } | { refusal: Refusal; limitMb?: string }>((resolve) => {
    xhr.open('POST', ROUTES.centreUploads);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader(CENTRE_UPLOAD_HEADERS.name, encodeURIComponent(name));
    if (file.type !== '') xhr.setRequestHeader('x-file-type', file.type);
    const token = tokenStore.get();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => resolve({ refusal: 'network' });
    xhr.onabort = () => resolve({ refusal: 'generic' });
    xhr.onload = () => {
      let json: unknown = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        json = null;
      }
      if (xhr.status === 201) {
        const ok = CentreUploadResponseSchema.safeParse(json);
        return resolve(ok.success ? { id: ok.data.upload.id } : { refusal: 'generic' });
      }
      const error = ApiErrorSchema.safeParse(json);
      const code = error.success ? error.data.error.code : 'generic';
      const limitMb = error.success ? /([\d.]+) MB/.exec(error.data.error.message)?.[1] : undefined;
      if (code === 'too_large' || code === 'type_not_allowed' || code === 'empty' || code === 'too_many_uploads') return resolve({ refusal: code, ...(limitMb ? { limitMb } : {}) });
      if (xhr.status === 401) tokenStore.clear();
      resolve({ refusal: 'generic' });
    };
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

const pad = (n: number): string => String(n).padStart(2, '0');

export interface Uploads {
  items: Item[];
  /** The ids to name in the case or reply. */
  ids: string[];
  busy: boolean;
  add(files: Iterable<File>): void;
  remove(key: string): void;
  clear(): void;
  /** The last change said aloud (added, uploaded, removed). */
  announcement: string;
}

/** The files chosen for one form, each uploaded at once. */
export function useUploads(): Uploads {
  const { t } = useTranslation('files');
  const [items, setItems] = useState<Item[]>([]);
  // The list as of now (the state lags a render behind): the limit is counted here.
  const current = useRef<Item[]>([]);
  const update = useCallback((change: (list: Item[]) => Item[]) => {
    current.current = change(current.current);
    setItems(current.current);
  }, []);
  const [announcement, setAnnouncement] = useState('');
  const aborts = useRef(new Map<string, () => void>());
  const thumbs = useRef(new Set<string>());
  const count = useRef(0);
  const patch = useCallback((key: string, change: Partial<Item>): void => update((list) => list.map((i) => (i.key === key ? { ...i, ...change } : i))), [update]);

  useEffect(
    () => () => {
      for (const abort of aborts.current.values()) abort();
      for (const url of thumbs.current) URL.revokeObjectURL(url);
    },
    [],
  );

  const add = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) {
        const key = `f${++count.current}`;
        // A pasted screenshot comes as "image.png": named by the time, as the desk does.
        const now = new Date();
        const pasted = /^image\.(png|jpe?g|gif|webp)$/i.exec(file.name);
        const name = pasted
          ? `${t('screenshotName', { time: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}.${pad(now.getMinutes())}.${pad(now.getSeconds())}` })}.${pasted[1]?.toLowerCase()}`
          : file.name || 'fil';
        const thumb = isPreviewable(file.type) ? URL.createObjectURL(file) : null;
        if (thumb) thumbs.current.add(thumb);
        const item: Item = { key, name, size: file.size, thumb, state: 'uploading', progress: 0 };
        if (current.current.filter((i) => i.state !== 'refused').length >= ATTACHMENTS_PER_EVENT_MAX) {
          update((list) => [...list, { ...item, state: 'refused', refusal: 'too_many' }]);
          continue;
        }
        update((list) => [...list, item]);
        const upload = send(file, name, (share) => patch(key, { progress: share }));
        aborts.current.set(key, upload.abort);
        void upload.done.then((outcome) => {
          if (!aborts.current.delete(key)) return;
          if ('id' in outcome) {
            patch(key, { state: 'done', progress: 1, id: outcome.id });
            setAnnouncement(t('uploaded', { name }));
          } else {
            patch(key, { state: 'refused', refusal: outcome.refusal, ...(outcome.limitMb ? { limitMb: outcome.limitMb } : {}) });
          }
        });
      }
    },
    [t, update, patch],
  );

  const remove = useCallback(
    (key: string) => {
      aborts.current.get(key)?.();
      aborts.current.delete(key);
      const gone = current.current.find((i) => i.key === key);
      if (!gone) return;
      if (gone.thumb) {
        URL.revokeObjectURL(gone.thumb);
        thumbs.current.delete(gone.thumb);
      }
      setAnnouncement(t('removed', { name: gone.name }));
      update((list) => list.filter((i) => i.key !== key));
    },
    [t, update],
  );

  const clear = useCallback(() => {
    for (const url of thumbs.current) URL.revokeObjectURL(url);
    thumbs.current.clear();
    update(() => []);
  }, [update]);

  return {
    items,
    ids: items.flatMap((i) => (i.state === 'done' && i.id ? [i.id] : [])),
    busy: items.some((i) => i.state === 'uploading'),
    add,
    remove,
    clear,
    announcement,
  };
}

/**
 * The picker: a labelled drop zone with the "attach a file" button, and the chosen files. A
 * screenshot pasted anywhere on the page (Ctrl+V) while it is shown joins the files.
 */
export function FilePicker({ uploads, id }: { uploads: Uploads; id?: string }): ReactElement {
  const { t } = useTranslation('files');
  const size = useFileSize();
  const refusalText = useRefusalText();
  const ids = useId();
  const input = useRef<HTMLInputElement>(null);
  const choose = useRef<HTMLButtonElement>(null);
  const [over, setOver] = useState(false);
  const { add } = uploads;

  useEffect(() => {
    const onPaste = (e: ClipboardEvent): void => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      e.preventDefault();
      add(files);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [add]);

  return (
    <div className="files-picker">
      <div
        id={id}
        className={`drop-zone${over ? ' over' : ''}`}
        role="group"
        aria-labelledby={`${ids}-heading`}
        aria-describedby={`${ids}-hint`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          if (![...e.dataTransfer.types].includes('Files')) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          add([...e.dataTransfer.files]);
        }}
      >
        <span id={`${ids}-heading`} className="files-heading">{t('heading')}</span>
        <p id={`${ids}-hint`} className="hint">{over ? t('dropHere') : t('hint', { max: ATTACHMENTS_PER_EVENT_MAX })}</p>
        <button ref={choose} type="button" className="secondary" onClick={() => input.current?.click()}>
          {t('choose')}
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          aria-hidden="true"
          data-testid="file-input"
          onChange={(e) => {
            add([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>
      {uploads.items.length > 0 && (
        <ul className="file-list" aria-label={t('list')} data-testid="chosen-files">
          {uploads.items.map((item) => (
            <li key={item.key} className={`file-item ${item.state}`} data-testid="chosen-file" data-state={item.state}>
              {item.thumb ? <img className="thumb" src={item.thumb} alt="" /> : <span className="file-icon" aria-hidden="true" />}
              <span className="file-name">{item.name}</span>
              <span className="file-size">{size(item.size)}</span>
              {item.state === 'uploading' && <progress max={1} value={item.progress} aria-label={t('uploading', { name: item.name })} />}
              <button type="button" className="remove" aria-label={t('remove', { name: item.name })} title={t('remove', { name: item.name })} onClick={(e) => {
                  // Focus stays in the list: on the next file's remove button, else on "attach a file".
                  const row = e.currentTarget.closest('li');
                  const next = (row?.nextElementSibling ?? row?.previousElementSibling)?.querySelector<HTMLButtonElement>('button.remove');
                  uploads.remove(item.key);
                  (next ?? choose.current)?.focus();
                }}>
                ×
              </button>
              {item.state === 'refused' && (
                <p className="error file-error" role="alert">
                  {refusalText(item)}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {uploads.announcement}
      </p>
    </div>
  );
}

/** A file's bytes with the customer's token. */
async function fetchFile(id: string): Promise<Blob> {
  const token = tokenStore.get();
  const response = await fetch(ROUTES.centreFile(id), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(String(response.status));
  return response.blob();
}

function FileLink({ file }: { file: CentreFile }): ReactElement {
  const { t } = useTranslation('files');
  const size = useFileSize();
  const image = isPreviewable(file.contentType);
  const [thumb, setThumb] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!image) return undefined;
    let url: string | null = null;
    let gone = false;
    fetchFile(file.id).then(
      (blob) => {
        if (gone) return;
        url = URL.createObjectURL(blob);
        setThumb(url);
      },
      () => undefined,
    );
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.id, image]);
  const save = (): void => {
    setFailed(false);
    fetchFile(file.id).then(
      (blob) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = file.name;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      },
      () => setFailed(true),
    );
  };
  return (
    <li className="case-file" data-testid="case-file">
      <a
        href={ROUTES.centreFile(file.id)}
        download={file.name}
        onClick={(e) => {
          e.preventDefault();
          save();
        }}
      >
        {thumb ? <img className="thumb" src={thumb} alt={t('preview', { name: file.name })} /> : <span className="file-icon" aria-hidden="true" />}
        <span className="file-name">{file.name}</span> <span className="file-size">({size(file.size)})</span>
      </a>
      {failed && (
        <p className="error" role="alert">
          {t('openFailed', { name: file.name })}
        </p>
      )}
    </li>
  );
}

/** The files of a case's registration or of one entry, as links. */
export function FileList({ files }: { files: readonly CentreFile[] }): ReactElement | null {
  const { t } = useTranslation('files');
  if (files.length === 0) return null;
  return (
    <ul className="case-files" aria-label={t('heading')}>
      {files.map((f) => (
        <FileLink key={f.id} file={f} />
      ))}
    </ul>
  );
}
