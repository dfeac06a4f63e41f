/**
 * The Chromium that the browser tests and the bench drive: Debian's `chromium` package
 * (scripts/install-test-tools.sh installs it), or the executable `FIREBREAK_CHROMIUM_BIN`
 * names. playwright-core drives it through `executablePath`; Playwright's own browser
 * downloads are never used.
 */
import { accessSync, constants } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_BIN_ENV = 'FIREBREAK_CHROMIUM_BIN';
/** Where Debian's `chromium` package puts its launcher. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The Chromium executable to drive; an error saying how to get one when there is none. */
export function chromiumExecutable(): string {
  const named = process.env[CHROMIUM_BIN_ENV];
  const path = named || DEBIAN_CHROMIUM;
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    throw new Error(
      named
        ? `${CHROMIUM_BIN_ENV}=${named} is not an executable file: point it at a Chromium, or unset it to use Debian's ${DEBIAN_CHROMIUM}`
        : `no Chromium at ${DEBIAN_CHROMIUM}: the browser tests need Debian's chromium package. ` +
            `Run 'sudo bash scripts/install-test-tools.sh' (it runs 'apt-get install chromium'), ` +
            `or set ${CHROMIUM_BIN_ENV} to a Chromium executable.`,
    );
  }
}

/** Headless Chromium; without the sandbox when running as root (CI does), which Chromium refuses otherwise. */
export function launchChromium(): Promise<Browser> {
  const root = process.getuid?.() === 0;
  return chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    args: root ? ['--no-sandbox'] : [],
  });
}
