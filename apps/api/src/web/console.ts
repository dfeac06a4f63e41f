/**
 * The console (apps/web, built by `vite build` into `WEB_ROOT`) served by the API itself:
 * `/` and every client-side route are its index.html, its hashed files are under `/assets/`.
 * Everything the console loads comes from this origin, under a strict Content-Security-Policy.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { type NextFunction, type Request, type Response, static as serveStatic } from 'express';
import { CONSOLE_NOT_BUILT_PAGE } from './console-pages.html';

/** Headers of every console response: nothing from elsewhere, no inline script or style, no framing. */
export const CONSOLE_SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

/** Paths the API answers itself; the console never shadows them. */
const API_PATHS = /^\/(v1|docs|status|healthz|readyz|metrics)(?=$|[/.-])/;

/** Hashed file names never change content: a year, and never revalidated. */
const HASHED_CACHE = 'public, max-age=31536000, immutable';

/**
 * The path as a list of segments, or undefined when it could step outside the web root or
 * is not one a browser would send for a file: `..` or `.` segments (encoded or not),
 * backslashes, NUL, or malformed percent-encoding.
 */
function safeSegments(rawPath: string): string[] | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (/[\\\0]/.test(decoded)) return undefined;
  const segments = decoded.split('/').slice(1);
  if (segments.some((segment) => segment === '..' || segment === '.')) return undefined;
  return segments;
}

const wantsHtml = (request: Request) => (request.headers.accept ?? '').toLowerCase().includes('text/html');

/** Serves the console from `webRoot` on `app` (call before the app listens, so it runs before the API's routes). */
export function serveConsole(app: INestApplication, webRoot: string): void {
  const root = resolve(webRoot);
  const assets = serveStatic(join(root, 'assets'), {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    immutable: true,
    maxAge: '365d',
    setHeaders: (response) => response.setHeader('Cache-Control', HASHED_CACHE),
  });
  // Other files of the build (Vite copies apps/web/public here): named by people, so revalidated.
  const files = serveStatic(root, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders: (response) => response.setHeader('Cache-Control', 'no-cache'),
  });

  const index = (response: Response, next: NextFunction) => {
    stat(join(root, 'index.html')).then(
      () =>
        response.sendFile('index.html', { root, cacheControl: false, dotfiles: 'deny', headers: { 'Cache-Control': 'no-cache' } }, (error) => {
          if (error && !response.headersSent) next(error);
        }),
      () => response.status(200).set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).send(CONSOLE_NOT_BUILT_PAGE),
    );
  };

  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || API_PATHS.test(request.path)) return next();
    response.set(CONSOLE_SECURITY_HEADERS);
    const segments = safeSegments(request.path);
    if (!segments) {
      response.status(404).type('text/plain').send('Not found');
      return;
    }
    const notFound = (error?: unknown) => {
      if (error) return next(error);
      // A client-side route (`/incidents/inc-…`) is the app's to show; any other miss is a 404.
      if (segments[0] !== 'assets' && wantsHtml(request)) return index(response, next);
      response.status(404).type('text/plain').send('Not found');
    };
    if (request.path === '/' || request.path === '/index.html') return index(response, next);
    if (segments[0] === 'assets') {
      request.url = request.url.slice('/assets'.length) || '/';
      return assets(request, response, notFound);
    }
    return files(request, response, notFound);
  });
}
