/**
 * ESLint (flat config). Type-aware typescript-eslint rules where they catch real bugs (promises
 * not awaited or passed where a void callback is expected, `any` leaking through), Vue's
 * recommended rules, and our own `sen/layers` (the src/ layer rules) and `sen/no-cycle`.
 * Formatting is Prettier's job (`npm run format:check`), so no stylistic rules here.
 */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import sen from './eslint-rules/index.js';

const TS_PROJECTS = ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.test.json'];

export default tseslint.config(
  {
    // .gitignore'd output, data fixtures, and declaration files (checked by tsc)
    ignores: [
      'out/**',
      'dist/**',
      'test-artifacts/**',
      '.scratch/**',
      '.vite/**',
      'test/fixtures/**',
      'test/store/fixtures/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...vue.configs['flat/recommended'],
  vue.configs['no-layout-rules'], // layout is Prettier's
  {
    languageOptions: {
      parserOptions: {
        project: TS_PROJECTS,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    plugins: { sen },
    rules: {
      'sen/layers': 'error',
      'sen/no-cycle': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // `${shape}` of a number[] and `${x}` of a value narrowed to never (an error path) read fine
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowArray: true, allowNever: true, allowBoolean: true, allowNullish: true },
      ],
      // callbacks are declared as interface methods (`onBatch(...): void`) and passed on unbound on purpose
      '@typescript-eslint/unbound-method': 'off',
      // applied once; its generic-call report (`tf.tidy(() => ...) as T` -> `tf.tidy<T>(...)`) is style only
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // an async function without await is how an interface method returning a Promise is written
      '@typescript-eslint/require-await': 'off',
      // optional props are undefined on purpose (TypeScript says so)
      'vue/require-default-prop': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // Type-aware ESLint runs plain TypeScript, which cannot type a component imported from a .vue file
    // (vue-tsc does, in `npm run typecheck`): the no-unsafe-* rules would flag every use of one.
    files: ['src/renderer/**/*.vue', 'src/renderer/src/main.ts', 'src/renderer/src/router.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    // Tests read JSON replies and page.evaluate results as `any` and assert on their shape; the
    // assertions, not the types, are what checks them there.
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Where each file runs decides its globals: no `window` in the engine, no `process` in the renderer.
  {
    files: ['src/core/**', 'src/main/**', 'bin/**', 'bench/**', 'test/**', '*.ts', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/renderer/**', 'src/preload/**', 'bench/embedding/main.js', 'bench/embedding/run.mjs'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
