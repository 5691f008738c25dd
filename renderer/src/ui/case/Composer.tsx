/**
 * What a specialist writes on a case: a **reply to the customer** (sent as mail to the case's
 * contact, `sendReply`) or an **internal note** (never sent, `addNote`). The two look and read
 * differently (the choice, its icon and frame, the hint under the box, the send button's words),
 * so nobody mails a customer what was meant for colleagues.
 *
 * Keys: `m` writes a note, `r` a reply (outside a field), Alt+S switches between them (anywhere
 * in the case), Ctrl+Enter sends. Both go through the outbox: offline, a reply waits on this
 * computer and is sent once when the desk is back (it shows in the thread as waiting). The
 * draft of each case survives opening another case and a reload (drafts.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/typing';
import { replyAddress } from '../../../../shared/index';
import { useSession, useSignal } from '../hooks';
import { plain, isTyping, useKeys } from '../keys';
import { useAct } from './act';
import { readDraft, writeDraft, type ComposerMode, type Draft } from './drafts';
import { MailIcon, NoteIcon } from './MailEvent';
import { DraftChips } from './Attachments';
import { useDraftFiles } from './useDraftFiles';
import { AnswerPicker } from '../answers/AnswerPicker';

export function Composer({ caseId, contactId, hasIncomingMail }: { caseId: string; contactId: string | null; hasIncomingMail: boolean }) {
  const { t } = useT();
  const session = useSession();
  const status = useSignal(session.status);
  const { act, error } = useAct();
  const [draft, setDraftState] = useState<Draft>(() => readDraft(session.me.id, caseId));
  const box = useRef<HTMLTextAreaElement>(null);
  const focusNext = useRef(false);
  // Files pasted (screenshots), dropped or picked (Alt+U) go with the note or the reply.
  const drafts = useDraftFiles();
  // Alt+M a reply template, Alt+K the knowledge base: inserted at the caret.
  const [picker, setPicker] = useState<'templates' | 'articles' | null>(null);

  const setDraft = (next: Draft) => {
    setDraftState(next);
    writeDraft(session.me.id, caseId, next);
  };
  const mode = draft.mode;
  const text = mode === 'reply' ? draft.reply : draft.note;

  // Who a reply goes to; when it cannot go anywhere, why (said in the box, the button disabled).
  const contact = contactId === null ? null : (session.store.directory.contacts.get(contactId) ?? null);
  const address = replyAddress(contact);
  const blocked =
    contact === null ? t('case:composer.noContact') : contact.anonymisedAt !== null ? t('case:composer.anonymised') : address === null ? t('case:composer.noAddress', { name: contact.name }) : null;

  const switchTo = (next: ComposerMode, focus: boolean) => {
    if (next !== mode) setDraft({ ...draft, mode: next });
    if (focus) {
      focusNext.current = true;
      if (next === mode) box.current?.focus();
    }
  };
  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    box.current?.focus();
  }, [mode]);

  useKeys((e) => {
    if (e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyS') {
      switchTo(mode === 'reply' ? 'note' : 'reply', true);
      return true;
    }
    if (isTyping(e) || !plain(e)) return false;
    if (e.key === 'r') {
      switchTo('reply', true);
      return true;
    }
    if (e.key === 'm') {
      switchTo('note', true);
      return true;
    }
    return false;
  });

  // One send at a time: a second Ctrl+Enter before the first is saved would mail the customer twice.
  const sending = useRef(false);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (sending.current) return;
    sending.current = true;
    setBusy(true);
    try {
      await send();
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };
  const send = async () => {
    const body = text.trim();
    if (!body) return;
    if (mode === 'reply') {
      if (blocked !== null) return;
      const quote = hasIncomingMail && draft.quote;
      // With files, their bytes are kept with the reply and uploaded before it is pushed.
      const sent =
        drafts.files.length > 0
          ? await drafts.submit(caseId, body, { quote })
          : await act({ name: 'sendReply', args: { caseId, eventId: crypto.randomUUID(), text: body, quote, attachmentIds: [] } });
      if (sent) setDraft({ ...readDraft(session.me.id, caseId), mode, reply: '', quote: false });
    } else {
      const saved = drafts.files.length > 0 ? await drafts.submit(caseId, body) : await act({ name: 'addNote', args: { caseId, eventId: crypto.randomUUID(), text: body } });
      if (saved) setDraft({ ...readDraft(session.me.id, caseId), mode, note: '' });
    }
  };

  const reply = mode === 'reply';
  const hintId = `composer-hint-${caseId}`;
  return (
    <form
      className={`composer ${reply ? 'composer-reply' : 'composer-note'}`}
      data-testid="composer"
      data-mode={mode}
      onDrop={drafts.onDrop}
      onDragOver={drafts.onDragOver}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset className="composer-modes segmented">
        <legend className="visually-hidden">{t('case:composer.modes')}</legend>
        <label className={reply ? 'selected' : ''} title="r · Alt+S">
          <input type="radio" name={`composer-mode-${caseId}`} value="reply" checked={reply} onChange={() => switchTo('reply', false)} data-testid="composer-mode-reply" />
          <MailIcon /> {t('case:composer.reply')}
        </label>
        <label className={!reply ? 'selected' : ''} title="m · Alt+S">
          <input type="radio" name={`composer-mode-${caseId}`} value="note" checked={!reply} onChange={() => switchTo('note', false)} data-testid="composer-mode-note" />
          <NoteIcon /> {t('case:composer.note')}
        </label>
      </fieldset>
      <p className={reply && blocked !== null ? 'composer-hint error' : 'composer-hint'} id={hintId} data-testid="composer-hint">
        {reply ? (blocked ?? t('case:composer.replyTo', { address })) : t('case:composer.noteHint')}
      </p>
      <textarea
        ref={box}
        // The note keeps its old id: `m`, the prepared case and the tests find it by it.
        id={reply ? 'reply-input' : 'note-input'}
        value={text}
        onChange={(e) => setDraft(reply ? { ...draft, reply: e.target.value } : { ...draft, note: e.target.value })}
        rows={reply ? 5 : 2}
        placeholder={reply ? t('case:composer.replyPlaceholder') : t('case:composer.notePlaceholder')}
        aria-label={reply ? t('case:composer.reply') : t('case:composer.note')}
        aria-describedby={hintId}
        data-testid={reply ? 'reply-input' : 'note-input'}
        onPaste={drafts.onPaste}
        onKeyDown={(e) => {
          if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyM' || e.code === 'KeyK')) {
            e.preventDefault();
            setPicker(e.code === 'KeyM' ? 'templates' : 'articles');
            return;
          }
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void submit();
          }
          if (e.altKey && !e.ctrlKey && e.code === 'KeyU') {
            e.preventDefault();
            drafts.pick();
          }
        }}
      />
      <div className="composer-actions">
        {reply && hasIncomingMail && (
          <label className="composer-quote">
            <input type="checkbox" checked={draft.quote} onChange={(e) => setDraft({ ...draft, quote: e.target.checked })} data-testid="reply-quote" /> {t('case:composer.quote')}
          </label>
        )}
        <button type="button" className="ghost" onClick={drafts.pick} title={t('case:attachments.attachHint')} data-testid="attach-file">
          {t('case:attachments.attach')}
        </button>
        <span className="spacer" />
        {reply && status.connection !== 'online' && <span className="muted small composer-offline">{t('case:composer.offline')}</span>}
        <button
          type="submit"
          className={reply ? 'primary' : 'secondary'}
          disabled={busy || text.trim() === '' || (reply && blocked !== null)}
          data-testid={reply ? 'reply-submit' : 'note-submit'}
          title="Ctrl+Enter"
        >
          {reply ? t('case:composer.send') : t('case:composer.save')}
        </button>
      </div>
      {picker && (
        <AnswerPicker
          kind={picker}
          caseId={caseId}
          onInsert={(inserted) => {
            const el = box.current;
            const start = el?.selectionStart ?? text.length;
            const end = el?.selectionEnd ?? text.length;
            const next = text.slice(0, start) + inserted + text.slice(end);
            setDraft(reply ? { ...draft, reply: next } : { ...draft, note: next });
            requestAnimationFrame(() => el?.setSelectionRange(start + inserted.length, start + inserted.length));
          }}
          onClose={() => {
            setPicker(null);
            // At once, in the key's own handler: the next key goes to the box, never to the desk.
            box.current?.focus();
          }}
        />
      )}
      <DraftChips drafts={drafts} />
      {error && <p className="error">{error}</p>}
    </form>
  );
}
