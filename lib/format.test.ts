import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FALLBACK_LOCALE, browserLocale, dateTimeFormat, formatShortTime, formatTime } from './format';

const at = Date.UTC(2026, 10, 27, 14, 5, 9); // 22:05:09 China Standard Time

test("the date locale is the browser's first language it names, not the page language", () => {
  assert.equal(browserLocale({ languages: ['en-GB', 'zh-CN'], language: 'en-GB' }), 'en-GB');
  assert.equal(browserLocale({ languages: ['de-de'] }), 'de-DE', 'canonical form');
  assert.equal(browserLocale({ language: 'en-US' }), 'en-US', 'an old browser with language only');
  assert.equal(browserLocale({ languages: ['not a tag!', 'fr-FR'] }), 'fr-FR', 'a bad tag is skipped');
  assert.equal(browserLocale(undefined), FALLBACK_LOCALE, 'on the server');
  assert.equal(browserLocale({ languages: [] }), FALLBACK_LOCALE);
});

test("a time is written in the reader's order, on a 24 h clock, in China Standard Time", () => {
  assert.equal(formatTime(at, 'zh-CN'), '2026/11/27 22:05:09');
  assert.equal(formatTime(at, 'en-US'), '11/27/2026, 22:05:09', 'US order, still 24 h');
  assert.equal(formatTime(at, 'de-DE'), '27.11.2026, 22:05:09');
  assert.equal(formatTime(at, 'en-GB'), '27/11/2026, 22:05:09');
  assert.equal(formatTime(Date.UTC(2026, 10, 27, 16, 0, 0), 'en-US'), '11/28/2026, 00:00:00', 'midnight is 00, not 24');
  assert.equal(dateTimeFormat('en-US', 'UTC').format(at), '11/27/2026, 14:05:09', 'another zone when one is set');
});

test('short times keep the whole month and day in the reader’s order (not a cut of the long form)', () => {
  const t = Date.UTC(2026, 11, 6, 1, 2, 3); // 09:02:03 CST
  assert.equal(formatShortTime(t, 'zh-CN'), '12/06 09:02:03');
  assert.equal(formatShortTime(t, 'en-US'), '12/06, 09:02:03');
  assert.equal(formatShortTime(t, 'en-GB'), '06/12, 09:02:03');
});
