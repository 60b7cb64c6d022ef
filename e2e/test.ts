/**
 * The `test` every spec uses: Playwright's, plus a watch on the page's uncaught errors. Whatever
 * a test does (bad files, failing endpoints, reloads mid-run), the app must handle it; an error
 * that reaches the page's top level fails the test that caused it, with its message.
 */
import { expect, test as base } from '@playwright/test';

export const test = base.extend<{ noUncaughtErrors: undefined }>({
  noUncaughtErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
      await use(undefined);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Locator, Page } from '@playwright/test';
