/**
 * A Desk server with the mail channel on, as an OS process of its own, for a test to kill -9 in
 * the middle of a message (test/server/mail/crash.test.ts). Started with `node --import tsx`;
 * reads DESK_TEST_DATA_DIR and DESK_TEST_MAIL (the mail settings as JSON). With
 * DESK_TEST_STALL_FILE set, the intake stops for good while writing the attachment of that name
 * (the message's raw source and its earlier files are on disk, its transaction not begun) and
 * the process says `stalled` on stdout: the moment the test kills it.
 */
import { startServer } from '../../server/http/app';
import type { MailSettings } from '../../server/mail/config';
import { dataFile, openStore } from '../../server/store/store';

async function main(): Promise<void> {
  const dir = process.env.DESK_TEST_DATA_DIR ?? '';
  const settings = JSON.parse(process.env.DESK_TEST_MAIL ?? '{}') as MailSettings;
  const stallOn = process.env.DESK_TEST_STALL_FILE;
  const store = openStore(dataFile(dir));
  if (stallOn) {
    const files = store.attachments;
    const prepare = files.prepare.bind(files);
    files.prepare = async (bytes, name, declared) => {
      if (name === stallOn) {
        process.stdout.write('stalled\n');
        await new Promise<never>(() => undefined);
      }
      return prepare(bytes, name, declared);
    };
  }
  const server = await startServer({ store, host: '127.0.0.1', port: 0, mail: { settings, reconnect: { baseMs: 100, maxMs: 500 } } });
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
