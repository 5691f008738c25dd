// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterPaint } from '../../renderer/src/lib/afterPaint';
import { usePainted } from '../../renderer/src/ui/usePainted';

describe('afterPaint', () => {
  const frames: Array<() => void> = [];
  const frame = () => frames.splice(0).forEach((cb) => cb());
  vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
  vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.splice(id - 1, 1));
  afterEach(() => void frames.splice(0));

  it('runs in the task after the next frame, not in it', async () => {
    const fn = vi.fn();
    afterPaint(fn);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fn).not.toHaveBeenCalled();
    frame();
    expect(fn).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fn).toHaveBeenCalledOnce();
  });

  it('can be cancelled before the frame and after it', async () => {
    const early = vi.fn();
    afterPaint(early)();
    frame();
    const late = vi.fn();
    const cancel = afterPaint(late);
    frame();
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(early).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
  });

  it('usePainted: true from the first paint after mounting, or after `from` turned true', async () => {
    const task = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    const mounted = renderHook(() => usePainted());
    expect(mounted.result.current).toBe(false);
    act(frame);
    await task();
    expect(mounted.result.current).toBe(true);

    const prepared = renderHook(({ shown }) => usePainted(shown), { initialProps: { shown: false } });
    act(frame);
    await task();
    expect(prepared.result.current).toBe(false);
    prepared.rerender({ shown: true });
    expect(prepared.result.current).toBe(false);
    act(frame);
    await task();
    expect(prepared.result.current).toBe(true);
  });
});
