import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchUiLocales, negotiateLocale, parseAcceptLanguage } from './negotiate.ts';

describe('negotiateLocale', () => {
  test('ui_locales wins over the cookie and Accept-Language', () => {
    assert.equal(negotiateLocale({ uiLocales: 'nl', cookie: 'en', acceptLanguage: 'en' }), 'nl');
    assert.equal(negotiateLocale({ uiLocales: 'en', cookie: 'nl', acceptLanguage: 'nl' }), 'en');
  });

  test('ui_locales: the first supported entry of the space-separated list wins', () => {
    assert.equal(matchUiLocales('fr-FR de nl-BE en'), 'nl');
    assert.equal(matchUiLocales('fr de'), null);
    assert.equal(matchUiLocales(['nl']), null, 'a repeated query parameter is not a ui_locales value');
  });

  test('an unsupported ui_locales falls through to the cookie', () => {
    assert.equal(negotiateLocale({ uiLocales: 'fr', cookie: 'nl', acceptLanguage: 'en' }), 'nl');
  });

  test('the cookie wins over Accept-Language, and must name a supported locale exactly', () => {
    assert.equal(negotiateLocale({ cookie: 'nl', acceptLanguage: 'en-US' }), 'nl');
    assert.equal(negotiateLocale({ cookie: 'klingon', acceptLanguage: 'nl' }), 'nl');
  });

  test('Accept-Language is read by q-value, not by position', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'en;q=0.5, nl;q=0.8' }), 'nl');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr-FR, nl;q=0.7, en;q=0.9' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: 'nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7' }), 'nl');
  });

  test('defaults to English', () => {
    assert.equal(negotiateLocale({}), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr, de;q=0.5' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: 'nl;q=0, fr' }), 'en', 'q=0 means "not this language"');
  });
});

describe('parseAcceptLanguage', () => {
  test('orders by q, keeps header order among equals, drops q=0, * and junk', () => {
    assert.deepEqual(parseAcceptLanguage('de;q=0.5, nl, fr;q=0, *;q=0.1, en-GB; q=0.5, x;q=abc, y;q=2'), ['nl', 'de', 'en-GB']);
  });

  test('an empty or absurd header yields nothing useful but does not throw', () => {
    assert.deepEqual(parseAcceptLanguage(''), []);
    assert.equal(parseAcceptLanguage(`${'xx,'.repeat(10_000)}nl`).length, 32);
  });
});
