import { memo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { safeLinkHref } from './safe-link';
import './answer.css';

// Model output is untrusted. No rehype-raw: react-markdown turns raw HTML into text, so `<img onerror=…>`
// shows as characters and never becomes an element. Links open outside the app with no opener; images
// are not fetched (a remote image would tell its server that an answer was read), only named.
const components: Components = {
  a: ({ href, children }) => {
    const safe = safeLinkHref(href);
    if (!safe) {
      return (
        <span className="md-unsafe-link" title="Link removed: not a web address">
          {children}
        </span>
      );
    }
    return (
      <a href={safe} target="_blank" rel="noopener noreferrer" title={safe}>
        {children}
      </a>
    );
  },
  img: ({ alt, src }) => (
    <span className="md-image" title={typeof src === 'string' ? src : undefined}>
      [image{alt ? `: ${alt}` : ''}]
    </span>
  ),
  table: ({ children }) => (
    <div className="md-table-wrap">
      <table>{children}</table>
    </div>
  ),
};

const plugins = [remarkGfm];

/** An answer's text rendered as GitHub-flavoured markdown, safely. */
export const MarkdownView = memo(function MarkdownView({ text }: { text: string }) {
  return (
    <div className="markdown">
      <Markdown remarkPlugins={plugins} components={components}>
        {text}
      </Markdown>
    </div>
  );
});
