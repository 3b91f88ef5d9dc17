import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MarkdownView } from '../../src-renderer/features/answer/markdown-view';
import { safeLinkHref } from '../../src-renderer/features/answer/safe-link';

const render = (text: string) => renderToStaticMarkup(createElement(MarkdownView, { text }));

describe('rendering model output as markdown', () => {
  it('shows raw HTML as text: no element is created from it', () => {
    const html = render('Look: <img src=x onerror=alert(1)> and <script>alert(2)</script>');
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('drops javascript: links and opens web links outside the app without an opener', () => {
    const html = render('[click](javascript:alert(1)) and [docs](https://example.com/a)');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<span class="md-unsafe-link"');
    expect(html).toMatch(/<a href="https:\/\/example\.com\/a" target="_blank" rel="noopener noreferrer"/);
  });

  it('names images instead of fetching them', () => {
    const html = render('![a chart](https://tracker.example/pixel.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('[image: a chart]');
  });

  it('renders GitHub-flavoured markdown: tables and code blocks', () => {
    const html = render('| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst x = 1;\n```');
    expect(html).toContain('<table>');
    expect(html).toContain('<pre><code class="language-ts">');
  });

  it('keeps only web and mail links', () => {
    expect(safeLinkHref('https://a.example/')).toBe('https://a.example/');
    expect(safeLinkHref('mailto:x@example.com')).toBe('mailto:x@example.com');
    expect(safeLinkHref('JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeLinkHref('data:text/html,hi')).toBeNull();
    expect(safeLinkHref('/settings')).toBeNull();
    expect(safeLinkHref(undefined)).toBeNull();
  });
});
