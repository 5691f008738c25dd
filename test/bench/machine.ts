/** One line describing where the figures were measured. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) return `${pretty} (${os.type()} ${os.release()})`;
  } catch {
    // not Linux: fall through
  }
  return `${os.type()} ${os.release()}`;
}

export function describeMachine(chromium: string): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const ramGb = Math.round(os.totalmem() / 2 ** 30);
  return `${model}, ${cpus.length} cores, ${ramGb} GB RAM, ${osName()}, Node ${process.version}, Chromium ${chromium}`;
}
