import { LoginForm } from '../../components/LoginForm';

export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const demo = process.env.SIM !== '0' && process.env.SIM !== 'false';
  return (
    <main className="login-page">
      <LoginForm next={typeof next === 'string' ? next : '/'} demo={demo} />
    </main>
  );
}
