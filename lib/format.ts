// Display formatting shared by views (UI.md: CST, 24 h clock, relative ages in Chinese). Dates and
// times follow the browser's locale, not the page language.
import type { AssetKind } from './domain';
import { kmhToKnots } from './units';

export function formatSpeed(kmh: number, kind: AssetKind): string {
  if (Number.isNaN(kmh)) return '—';
  return kind === 'vessel' ? `${kmhToKnots(kmh).toFixed(1)} 节` : `${Math.round(kmh)} km/h`;
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} 秒前`;
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`;
  if (s < 86400) return `${Math.floor(s / 3600)} 小时前`;
  return `${Math.floor(s / 86400)} 天前`;
}

/** UI.md: times in the user's zone, China Standard Time by default (there is no per-user zone setting yet). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/** What the server (and a browser that names no language) writes: the product's own default. */
export const FALLBACK_LOCALE = 'zh-CN';

/**
 * The locale dates and times are written in: the browser's first preferred language, not the page's
 * (the words follow the page language, the order of day, month and year follows the reader). A tag
 * Intl cannot use, or no browser at all, gives the fallback.
 */
export function browserLocale(nav: { languages?: readonly string[]; language?: string } | undefined = globalThis.navigator): string {
  for (const tag of [...(nav?.languages ?? []), nav?.language]) {
    if (!tag) continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical && Intl.DateTimeFormat.supportedLocalesOf(canonical).length > 0) return canonical;
    } catch {
      // not a BCP 47 tag: try the next
    }
  }
  return FALLBACK_LOCALE;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Date and time in `locale`'s order, always on a 24 h clock (UI.md), in `timeZone`. */
export function dateTimeFormat(locale: string, timeZone = DEFAULT_TIME_ZONE): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(key, f);
  }
  return f;
}

/** A time as the reader writes dates (browserLocale), 24 h, China Standard Time; pass a locale for a fixed form (CSV). */
export function formatTime(ms: number, locale = browserLocale()): string {
  return dateTimeFormat(locale).format(new Date(ms));
}

const shortFormats = new Map<string, Intl.DateTimeFormat>();

/** Month, day and time without the year (a movement's own events), in the reader's order, 24 h, China Standard Time. */
export function formatShortTime(ms: number, locale = browserLocale(), timeZone = DEFAULT_TIME_ZONE): string {
  const key = `${locale}|${timeZone}`;
  let f = shortFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, hourCycle: 'h23', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    shortFormats.set(key, f);
  }
  return f.format(new Date(ms));
}
