import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';

/**
 * Markdown (a postmortem) as HTML: rendered by marked, then cleaned by DOMPurify, so raw HTML
 * in the text cannot run script. `style` attributes go too: the console's CSP refuses inline
 * styles anyway. Headings start at `headingLevel`, to sit under the page's own.
 */
export default function Markdown({ text, label, headingLevel = 2 }: { text: string; label: string; headingLevel?: number }) {
  const html = useMemo(() => {
    let top = 6;
    const parser = new Marked({ gfm: true, async: false });
    const tokens = parser.lexer(text);
    void parser.walkTokens(tokens, (token) => {
      if (token.type === 'heading') top = Math.min(top, token.depth);
    });
    void parser.walkTokens(tokens, (token) => {
      if (token.type === 'heading') token.depth = Math.min(6, token.depth - top + headingLevel);
    });
    const rendered = parser.parser(tokens);
    return DOMPurify.sanitize(rendered, { FORBID_ATTR: ['style'], FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'] });
  }, [text, headingLevel]);
  // Sanitized just above.
  return <article className="markdown" aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />;
}
