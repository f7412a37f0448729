import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sanitizeBranding } from './branding.ts';

const branding = (overrides: Partial<Parameters<typeof sanitizeBranding>[0] & object>) =>
  sanitizeBranding({ tenantName: 'Contoso', logoUrl: null, backgroundColor: null, ...overrides });

describe('sanitizeBranding', () => {
  test('no branding means the product name and the default look', () => {
    assert.deepEqual(sanitizeBranding(null), { tenantName: 'Tessera', logoUrl: null, colors: null });
    assert.equal(branding({ tenantName: '   ' }).tenantName, 'Tessera');
  });

  test('only an exact #rrggbb colour is used', () => {
    assert.deepEqual(branding({ backgroundColor: '#1F3A5F' }).colors, { background: '#1f3a5f', foreground: '#ffffff' });
    for (const hostile of ['red', '#fff', '#12345g', '#123456;}body{display:none', '#123456</style><script>', 'url(https://evil)', ' #123456']) {
      assert.equal(branding({ backgroundColor: hostile }).colors, null, hostile);
    }
  });

  test('text on the background is dark or light, whichever reads better', () => {
    assert.equal(branding({ backgroundColor: '#f5f0e1' }).colors?.foreground, '#1b1b1b');
    assert.equal(branding({ backgroundColor: '#000080' }).colors?.foreground, '#ffffff');
  });

  test('a logo must be https or a path on this server', () => {
    assert.equal(branding({ logoUrl: 'https://cdn.contoso.com/logo.png' }).logoUrl, 'https://cdn.contoso.com/logo.png');
    assert.equal(branding({ logoUrl: '/branding/logo.png' }).logoUrl, '/branding/logo.png');
    for (const hostile of ['javascript:alert(1)', 'http://cdn.contoso.com/logo.png', '//evil.example/logo.png', '/\\evil.example', 'data:image/svg+xml,<svg/>', 'not a url']) {
      assert.equal(branding({ logoUrl: hostile }).logoUrl, null, hostile);
    }
  });
});
