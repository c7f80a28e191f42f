import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Installs Debian's chromium when it is missing; throws (never skips) when that is impossible. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      timeout: 600_000,
    });
  } catch (error) {
    throw new Error(
      `Browser tests need ${CHROMIUM} and installing it failed (${error instanceof Error ? error.message : String(error)}). Run \`apt-get update && apt-get install -y chromium\` as root.`,
    );
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing.`);
  return CHROMIUM;
}
