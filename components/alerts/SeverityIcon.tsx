// A shape per severity, so colour is never the only signal (UI.md): triangle for critical,
// diamond for warning, circle for info; each with its label beside it.
import type { Severity } from './model';

export function SeverityIcon({ severity }: { severity: Severity }) {
  const common = { width: 18, height: 18, viewBox: '0 0 20 20', 'aria-hidden': true } as const;
  if (severity === 'critical') {
    return (
      <svg {...common}>
        <path d="M10 1.5 19 18H1z" fill="var(--critical)" />
        <path d="M10 7v5.5M10 14.6v.2" stroke="#1a0606" strokeWidth="2.2" strokeLinecap="round" />
      </svg>
    );
  }
  if (severity === 'warning') {
    return (
      <svg {...common}>
        <path d="M10 1 19 10 10 19 1 10z" fill="var(--warning)" />
        <path d="M10 5.8v5M10 13.6v.2" stroke="#1f1300" strokeWidth="2.2" strokeLinecap="round" />
      </svg>
    );
  }
  return (
    <svg {...common}>
      <circle cx="10" cy="10" r="8.5" fill="none" stroke="var(--text-2)" strokeWidth="1.8" />
      <path d="M10 9v5.2M10 6.2v.2" stroke="var(--text-2)" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}
