/** The tabs' channel: a stopped desk (logout stops it, then React's cleanup stops it again) says nothing and throws nothing. */
import { describe, expect, it } from 'vitest';
import { TabChannel } from '../../renderer/src/sync/leader';

describe('TabChannel', () => {
  it('ignores a message posted after it was closed instead of throwing', () => {
    const channel = new TabChannel(`tab-channel-test-${process.pid}`, () => undefined);
    channel.close();
    expect(() => channel.post({ type: 'my-presence', tab: 'tab-1', state: null })).not.toThrow();
  });
});
