import { useEffect, useState } from 'react';
import { afterPaint } from '../lib/afterPaint';

/**
 * False for the render that mounts the component, true from the first paint after it — or,
 * with `from`, from the first paint after `from` became true (a view prepared out of sight).
 */
export function usePainted(from = true): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => (from ? afterPaint(() => setPainted(true)) : undefined), [from]);
  return painted;
}
