/**
 * Marks a page as shown with its data: a `firebreak:<page>-ready` performance mark (the
 * first time in this document) and `data-ready="<page>"` on `<body>`. The console bench
 * measures from navigation to this mark; tests may wait for the attribute.
 */
export function markReady(page: string): void {
  const name = `firebreak:${page}-ready`;
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
  document.body.dataset.ready = page;
}
