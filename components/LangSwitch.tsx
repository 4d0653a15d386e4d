'use client';
// 中文 / EN: the choice persists (localStorage, cookie) and sets <html lang>.
import { useLang } from './I18nProvider';
import { LANGS } from '../lib/i18n';

export function LangSwitch() {
  const { t, lang, setLang } = useLang();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {LANGS.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={lang === l} className={lang === l ? 'on' : ''} onClick={() => setLang(l)} data-testid={`lang-${l}`}>
          {l === 'zh-CN' ? t('lang.zh') : t('lang.en')}
        </button>
      ))}
    </div>
  );
}
