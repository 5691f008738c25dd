import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createNotifier } from '../../electron/main/notifications';
import { Notification, resetFakes } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

beforeEach(() => {
  resetFakes();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('native notifications', () => {
  it('shows the title and body and opens the case on click', () => {
    const openCase = vi.fn();
    const raise = vi.fn();
    createNotifier(openCase, raise).show({ title: 'Inkommande samtal', body: 'Lantmännen AB', caseNumber: 123456 });
    const [shown] = Notification.instances;
    expect(shown?.options).toEqual({ title: 'Inkommande samtal', body: 'Lantmännen AB' });
    expect(shown?.show).toHaveBeenCalled();

    shown?.emit('click', {});
    expect(openCase).toHaveBeenCalledWith(123456);
    expect(raise).not.toHaveBeenCalled();
  });

  it('brings the window forward on click when there is no case', () => {
    const openCase = vi.fn();
    const raise = vi.fn();
    createNotifier(openCase, raise).show({ title: 'Synkning klar', body: '' });
    Notification.instances[0]?.emit('click', {});
    expect(raise).toHaveBeenCalled();
    expect(openCase).not.toHaveBeenCalled();
  });

  it('replaces a notification with the same tag instead of stacking', () => {
    const notifier = createNotifier(vi.fn(), vi.fn());
    notifier.show({ title: 'Tidsgräns snart', body: '2 ärenden', tag: 'deadline' });
    notifier.show({ title: 'Tidsgräns snart', body: '3 ärenden', tag: 'deadline' });
    notifier.show({ title: 'Samtal', body: '+46701234567', tag: 'call' });
    const [first, second, third] = Notification.instances;
    expect(first?.close).toHaveBeenCalled();
    expect(second?.close).not.toHaveBeenCalled();
    expect(third?.close).not.toHaveBeenCalled();
  });

  it('does nothing where the OS has no notifications', () => {
    Notification.supported = false;
    createNotifier(vi.fn(), vi.fn()).show({ title: 'x', body: 'y' });
    expect(Notification.instances).toHaveLength(0);
  });
});
