/**
 * What `/` shows when the console has not been built: how to build it. Plain HTML with no
 * script or style, so the console's CSP holds for it too.
 */
export const CONSOLE_NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Firebreak: the console is not built</title></head>
<body>
<main>
<h1>The console is not built</h1>
<p>This API serves the Firebreak console from <code>WEB_ROOT</code> (default <code>apps/web/dist</code>), which holds no <code>index.html</code>.</p>
<p><code>npm start</code> builds it; to build it alone, run <code>npm run build:web</code> and reload this page.</p>
<p>The API itself works without it: its OpenAPI explorer is at <a href="/docs">/docs</a>.</p>
</main>
</body>
</html>
`;
