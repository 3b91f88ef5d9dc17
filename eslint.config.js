import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = { group: ['node:*'], message: 'Runs anywhere: no Node built-ins here.' };
const electron = { name: 'electron', message: "Only src-main/electron/ may import 'electron', so the core runs and is tested in plain Node." };

/** Layers import only downwards: src-shared ← src-main, src-shared ← src-renderer. */
export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [nodeBuiltins, { group: ['**/src-main/**', '**/src-renderer/**', 'react', 'react-dom'], message: 'src-shared depends on nothing above it.' }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electron], patterns: [nodeBuiltins, { group: ['**/src-main/**'], message: 'The renderer reaches the main process only through the contract.' }] },
      ],
    },
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electron], patterns: [{ group: ['**/src-renderer/**'], message: 'The main process does not import the renderer.' }] }],
    },
  },
);
