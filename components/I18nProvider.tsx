'use client';
// Gives every client component the i18next instance (react-i18next). The server renders the
// language from the tw_lang cookie; the browser's choice lives in localStorage too, and is
// mirrored onto <html lang> and the cookie so the next page load renders in it straight away.
import { useEffect, useState, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { kmhToKnots } from '../lib/units';
import { createI18n, isLang, otherLang, DEFAULT_LANG, LANG_COOKIE, LANG_STORAGE_KEY, type Lang } from '../lib/i18n';

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const [i18n] = useState(() => createI18n(lang));
  useEffect(() => {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(LANG_STORAGE_KEY);
    } catch {
      /* storage off */
    }
    if (isLang(stored) && stored !== i18n.language) void i18n.changeLanguage(stored);
    const sync = (lng: string) => {
      const l = isLang(lng) ? lng : DEFAULT_LANG;
      document.documentElement.lang = l;
      document.cookie = `${LANG_COOKIE}=${l}; path=/; max-age=31536000; samesite=lax`;
    };
    sync(i18n.language);
    i18n.on('languageChanged', sync);
    return () => i18n.off('languageChanged', sync);
  }, [i18n]);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

/** The current language, a switch, and a t for the other language (the small bilingual line). */
export function useLang() {
  const { t, i18n } = useTranslation();
  const lang: Lang = isLang(i18n.language) ? i18n.language : DEFAULT_LANG;
  const other = otherLang(lang);
  const setLang = (l: Lang) => {
    try {
      localStorage.setItem(LANG_STORAGE_KEY, l);
    } catch {
      /* storage off */
    }
    void i18n.changeLanguage(l);
  };
  return { t, lang, other, tOther: i18n.getFixedT(other), setLang };
}

/** Relative ages and speeds in the current language. */
export function useFormat() {
  const { t } = useTranslation();
  return {
    age(ms: number): string {
      const s = Math.max(0, Math.round(ms / 1000));
      if (s < 60) return t('age.seconds', { count: s });
      if (s < 3600) return t('age.minutes', { count: Math.floor(s / 60) });
      if (s < 86400) return t('age.hours', { count: Math.floor(s / 3600) });
      return t('age.days', { count: Math.floor(s / 86400) });
    },
    speed(kmh: number, kind: 'vehicle' | 'vessel'): string {
      if (Number.isNaN(kmh)) return '—';
      return kind === 'vessel' ? t('units.knots', { value: kmhToKnots(kmh).toFixed(1) }) : t('units.kmh', { value: Math.round(kmh) });
    },
  };
}
