// ESLint 9 flat config: typescript-eslint (recommended), React hooks, Next.js. Formatting is
// Prettier's job (`npm run lint` runs both).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import nextPlugin from '@next/eslint-plugin-next';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.next/**', 'data/**', 'public/**', 'test-results/**', 'playwright-report/**', 'scratch/**', 'next-env.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // The id and label checks match control characters on purpose: to refuse them.
      'no-control-regex': 'off',
      // `_name` marks a parameter or binding kept for its position or to drop it from a rest.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // React-Compiler rules (v7). This app does not use the compiler, and these patterns are deliberate:
      // latest-value refs (`ref.current = prop` in render) feed long-lived map, socket and timer callbacks;
      'react-hooks/refs': 'off',
      // effects set state from the URL after hydration, reset it when their input changes, and start fetches;
      'react-hooks/set-state-in-effect': 'off',
      // HoverCard reads the live store (mutable, outside React) and the clock at render: its age is "as drawn".
      'react-hooks/purity': 'off',
    },
  },
  {
    plugins: { '@next/next': nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
      // Sign-out and an expired session go to /login with a full page load on purpose: it drops the socket and the live store.
      '@next/next/no-location-assign-relative-destination': 'off',
    },
  },
);
