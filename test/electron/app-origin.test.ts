import { describe, expect, it } from 'vitest';
import { appUrlCheck, isExternalLink } from '../../src-main/electron/app-origin';

describe('app origin', () => {
  const built = appUrlCheck(undefined);
  const dev = appUrlCheck('http://localhost:5173/');

  it.each(['app://triad/index.html', 'app://triad/', 'app://triad/assets/index-abc.js'])('counts %s as the app', (url) => {
    expect(built(url)).toBe(true);
  });

  it.each([
    'app://triad.evil/index.html',
    'app://evil/index.html',
    'file:///home/user/out/renderer/index.html',
    'http://localhost:5173/',
    'https://triad/',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
    '',
  ])('does not count %s as the app of a build', (url) => {
    expect(built(url)).toBe(false);
  });

  it('counts the dev server origin only when running under electron-vite dev', () => {
    expect(dev('http://localhost:5173/')).toBe(true);
    expect(dev('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(dev('app://triad/index.html')).toBe(true);
    for (const url of ['http://localhost:5174/', 'https://localhost:5173/', 'http://localhost:5173.evil.example/', 'http://localhost:5173@evil.example/', 'http://127.0.0.1:5173/']) {
      expect(dev(url), url).toBe(false);
    }
  });

  it('lets only https links out to the system browser', () => {
    expect(isExternalLink('https://huggingface.co/Qwen')).toBe(true);
    for (const url of ['http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-settings:', 'app://triad/', 'HTTPS:no-slashes', 'nonsense']) {
      expect(isExternalLink(url), url).toBe(url.toLowerCase().startsWith('https:') && URL.canParse(url));
    }
  });
});
