import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { viewerPage } from '../../../lib/api/viewerPage.generated.js';
import { buildViewerPage } from '../../../scripts/buildViewer.mjs';

const sha256 = (text: string) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
const inline = (tag: string) => [...viewerPage.html.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, 'gs'))];

describe('lib/api/viewerPage.generated.ts', () => {
  it('is exactly what `npm run viewer` builds from viewer/ now', async () => {
    const fresh = await buildViewerPage();
    expect(viewerPage, 'run `npm run viewer` and commit lib/api/viewerPage.generated.ts').toEqual(fresh);
  }, 60_000);

  it('holds one inline script and one inline style, whose hashes are the ones the CSP names', () => {
    const scripts = inline('script');
    const styles = inline('style');
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(sha256(scripts[0]![1]!)).toBe(viewerPage.scriptHash);
    expect(sha256(styles[0]![1]!)).toBe(viewerPage.styleHash);
  });

  it('loads nothing from elsewhere and has no inline handlers or style attributes', () => {
    expect(viewerPage.html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\//i);
    const markup = viewerPage.html.replace(/<(script|style)>.*?<\/\1>/gs, '');
    expect(markup).not.toMatch(/\son[a-z]+=|\sstyle=/i);
    expect(markup).toContain('<html lang="en">');
  });
});
