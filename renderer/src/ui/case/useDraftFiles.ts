/**
 * The files of a note being written: pasted (a screenshot from the clipboard), dropped, or
 * chosen with the file picker (Alt+U). Each becomes a draft chip with a thumbnail for images;
 * saving the note keeps them in the cache with it (session/attachments.ts), where they wait to
 * be uploaded, offline included.
 */
import { useCallback, useEffect, useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { ATTACHMENTS_PER_EVENT_MAX } from '../../../../shared/index';
import { useT } from '../../i18n/typing';
import { useSession } from '../hooks';
import { errorMessage } from '../errors';
import type { DraftFile } from '../../session/attachments';

export interface DraftView extends DraftFile {
  /** An object URL of the bytes, for an image's thumbnail; null for other files. */
  thumbnail: string | null;
}

export interface DraftFiles {
  files: readonly DraftView[];
  error: string | null;
  add(list: Iterable<File>): void;
  remove(id: string): void;
  /** Opens the file picker. */
  pick(): void;
  inputRef: React.RefObject<HTMLInputElement | null>;
  onPaste(e: ClipboardEvent): void;
  onDrop(e: DragEvent): void;
  onDragOver(e: DragEvent): void;
  /** Saves the note (or, with `reply`, sends the reply) with the files; true when it is in the outbox (the chips are cleared). */
  submit(caseId: string, text: string, reply?: { quote: boolean }): Promise<boolean>;
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function useDraftFiles(): DraftFiles {
  const { t } = useT();
  const session = useSession();
  const [files, setFiles] = useState<DraftView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement | null>(null);
  const current = useRef(files);
  current.current = files;
  // Thumbnails are let go with the chips, and all of them when the note box goes.
  useEffect(() => () => current.current.forEach((f) => f.thumbnail && URL.revokeObjectURL(f.thumbnail)), []);

  const add = useCallback(
    (list: Iterable<File>) => {
      const incoming = [...list];
      if (incoming.length === 0) return;
      const room = ATTACHMENTS_PER_EVENT_MAX - current.current.length;
      setError(incoming.length > room ? t('case:attachments.tooMany', { max: ATTACHMENTS_PER_EVENT_MAX }) : null);
      const now = new Date();
      const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}.${pad(now.getMinutes())}.${pad(now.getSeconds())}`;
      const views = incoming.slice(0, Math.max(0, room)).map((file, i): DraftView => {
        // A screenshot from the clipboard comes as "image.png": named after what it is and when.
        const unnamed = file.name === '' || /^image\.(png|jpe?g|gif|webp)$/i.test(file.name);
        const ext = /\.[a-z0-9]+$/i.exec(file.name)?.[0] ?? (file.type === 'image/png' ? '.png' : '');
        const name = unnamed ? `${t('case:attachments.screenshotName', { time: stamp })}${i > 0 ? ` (${i + 1})` : ''}${ext}` : file.name;
        return {
          id: crypto.randomUUID(),
          name,
          type: file.type,
          size: file.size,
          blob: file,
          thumbnail: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
        };
      });
      setFiles((before) => [...before, ...views]);
    },
    [t],
  );

  const remove = useCallback((id: string) => {
    setFiles((before) => {
      const gone = before.find((f) => f.id === id);
      if (gone?.thumbnail) URL.revokeObjectURL(gone.thumbnail);
      return before.filter((f) => f.id !== id);
    });
    setError(null);
  }, []);

  const onPaste = useCallback(
    (e: ClipboardEvent) => {
      const pasted = [...e.clipboardData.files];
      if (pasted.length === 0) return;
      // A screenshot has no text: nothing else to paste. Copied text with a picture keeps its text.
      if (e.clipboardData.getData('text/plain') === '') e.preventDefault();
      add(pasted);
    },
    [add],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      if (e.dataTransfer.files.length === 0) return;
      e.preventDefault();
      add(e.dataTransfer.files);
    },
    [add],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if ([...e.dataTransfer.types].includes('Files')) e.preventDefault();
  }, []);

  const submit = useCallback(
    async (caseId: string, text: string, reply?: { quote: boolean }) => {
      try {
        if (reply) await session.attachments.sendReply(caseId, text, reply.quote, current.current);
        else await session.attachments.addNote(caseId, text, current.current);
      } catch (e) {
        setError(errorMessage(t, e));
        return false;
      }
      // The bytes are in the cache now: the chips' thumbnails can go (the note shows its own).
      for (const f of current.current) if (f.thumbnail) URL.revokeObjectURL(f.thumbnail);
      setFiles([]);
      setError(null);
      return true;
    },
    [session, t],
  );

  const pick = useCallback(() => inputRef.current?.click(), []);

  return { files, error, add, remove, pick, inputRef, onPaste, onDrop, onDragOver, submit };
}
