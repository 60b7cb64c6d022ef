// Lint also enforces the architecture: which folders may import what (see ARCHITECTURE.md).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const BROWSER_LIBS = ['openai', 'react', 'react-*', 'react/*', 'react-dom/*', 'konva', 'konva/*', 'react-konva', 'onnxruntime-web', 'onnxruntime-web/*', 'onnxruntime-node', 'mediabunny', 'comlink', 'zustand', 'zustand/*'];

/** Builds a no-restricted-imports rule from forbidden folders (relative patterns) and packages. */
function restrict(message, { folders = [], packages = [] }) {
  return [
    'error',
    {
      patterns: [
        ...folders.map((f) => ({ group: [`**/${f}/**`, `**/${f}`], message })),
        ...(packages.length ? [{ group: packages, message }] : []),
      ],
    },
  ];
}

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'playwright-report', 'test-results', '.bench-cache'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict('The core is pure TypeScript: no UI, DOM, worker or library adapters.', {
        folders: ['adapters', 'workers', 'store', 'canvas', 'features', 'ui', 'app'],
        packages: BROWSER_LIBS,
      }),
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'self', 'fetch', 'localStorage', 'indexedDB', 'HTMLElement', 'Worker'],
    },
  },
  {
    files: ['src/adapters/**/*.ts', 'src/workers/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict('Adapters and workers depend on the core only, never on app state or UI.', {
        folders: ['store', 'canvas', 'features', 'ui', 'app'],
        packages: ['react', 'react-*', 'react/*', 'konva', 'react-konva', 'zustand', 'zustand/*'],
      }),
    },
  },
  {
    files: ['src/store/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict('The store gets adapters injected (AppDeps); it never imports them or the UI.', {
        folders: ['adapters', 'workers', 'canvas', 'features', 'ui', 'app'],
      }),
    },
  },
  {
    files: ['src/canvas/**/*.{ts,tsx}', 'src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict('UI goes through the store, never to adapters, workers or the composition root.', {
        folders: ['adapters', 'workers', 'app', 'features'],
      }),
    },
  },
  // Features may not import adapters, workers, the root, or each other.
  ...['about', 'ask', 'endpoint', 'instances', 'lanes', 'propagation', 'qa', 'review', 'keyboard', 'messages', 'model', 'open', 'projects', 'shortcuts', 'timeline', 'toolbar', 'transport', 'videoInfo'].map((feature) => ({
    files: [`src/features/${feature}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters/**', '**/workers/**', '**/app/**'], message: 'Features reach adapters only through the store.' },
            {
              // "../x" from src/features/<feature>/ is another feature.
              regex: '^\\.\\./(?!\\.)|/features/',
              message: 'Features do not import each other; move shared parts to ui/ or store/.',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['e2e/**/*.ts', 'scripts/**/*.{ts,mjs,js}', 'build/**/*.{ts,mjs}', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.test.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
