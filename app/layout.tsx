import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { I18nProvider } from '../components/I18nProvider';
import { DEFAULT_LANG, isLang, LANG_COOKIE } from '../lib/i18n';
import './globals.css';

export const metadata: Metadata = {
  title: 'TransitWatch 监管运输实时监控',
  description: '海关监管运输与船舶动态实时监控',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The language chosen in the browser (mirrored from localStorage into a cookie), so the
  // server renders in it and the page does not flash the other language.
  const saved = (await cookies()).get(LANG_COOKIE)?.value;
  const lang = isLang(saved) ? saved : DEFAULT_LANG;
  return (
    <html lang={lang}>
      <body>
        <I18nProvider lang={lang}>{children}</I18nProvider>
      </body>
    </html>
  );
}
