import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: 'TransitWatch 监管运输实时监控',
  description: '海关监管运输与船舶动态实时监控',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="zh-CN">
      <body>{children}</body>
    </html>
  );
}
