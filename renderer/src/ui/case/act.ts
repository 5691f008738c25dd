import { useCallback, useState } from 'react';
import { useT } from '../../i18n/typing';
import type { MutationBody } from '../../../../shared/index';
import { useSession } from '../hooks';
import { errorMessage } from '../errors';

/** Enqueues an edit; the only way it fails is the cache itself (full disk), said in words. */
export function useAct(): { act: (body: MutationBody) => Promise<boolean>; error: string | null } {
  const { t } = useT();
  const session = useSession();
  const [error, setError] = useState<string | null>(null);
  const act = useCallback(
    async (body: MutationBody) => {
      try {
        await session.enqueue(body);
        setError(null);
        return true;
      } catch (e) {
        setError(errorMessage(t, e));
        return false;
      }
    },
    [session, t],
  );
  return { act, error };
}
