// Lint is part of `npm run check` and runs with --max-warnings 0: every rule is error or off.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

const webOnly = ['express', 'express-*', 'passport', 'passport-*', 'express-handlebars', 'helmet', 'csrf-sync']
const dataOnly = ['mongoose', 'mongoose/*', 'meilisearch', 'connect-mongo', 'mongodb']

const restrict = (names, where) =>
  names.map((name) => ({ group: [name], message: `${name} may only be imported in ${where}.` }))
const upper = (layers, from) =>
  layers.map((layer) => ({
    group: [`**/${layer}/*`, `**/${layer}`],
    message: `${from} may not import server/${layer}; shared types and rules belong in server/domain.`,
  }))

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.cache/', 'public/vendor/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      'no-throw-literal': 'error',
      eqeqeq: ['error', 'smart'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Layer boundaries (ARCHITECTURE.md): express & co only in server/web, mongoose & meilisearch only in server/data.
  // Flat config replaces (not merges) a rule per file, so each layer gets one complete list.
  {
    files: ['server/**/*.ts'],
    ignores: ['server/web/**', 'server/data/**', 'server/app.ts', 'server/types/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...restrict(webOnly, 'server/web'), ...restrict(dataOnly, 'server/data')] },
      ],
    },
  },
  {
    // server/app.ts composes the web layer; server/types augments express's types.
    files: ['server/web/**/*.ts', 'server/app.ts', 'server/types/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: restrict(dataOnly, 'server/data') }] },
  },
  {
    // The data layer sits below the services and the web layer: what it shares with them lives in server/domain.
    files: ['server/data/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...restrict(webOnly, 'server/web'), ...upper(['services', 'web'], 'server/data')] },
      ],
    },
  },
  {
    // server/domain holds record types, vocabularies and pure rules: it imports no layer and no framework.
    files: ['server/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...restrict(webOnly, 'server/web'),
            ...restrict(dataOnly, 'server/data'),
            ...upper(['data', 'services', 'web'], 'server/domain'),
          ],
        },
      ],
    },
  },
  // Only server/config.ts reads the environment.
  {
    files: ['server/**/*.ts'],
    ignores: ['server/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings from server/config.ts.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.mocha } },
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
)
