import { expect, type Locator, type Page } from '@playwright/test';

interface DebugWindow {
  packetwalkDebug: { crash(): Promise<void>; hang(budgetMs: number): Promise<void> };
}

/** The Packetwalk page as a learner uses it; tests speak through this, never raw selectors. */
export class PacketwalkPage {
  readonly consoleErrors: string[] = [];
  readonly foreignRequests: string[] = [];

  /** `origin`: where the app is served from (the baseURL); every other host is foreign. */
  constructor(
    readonly page: Page,
    origin: string,
  ) {
    const allowed = new URL(origin).host;
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(e.message));
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return;
      if (url.host !== allowed) this.foreignRequests.push(r.url());
    });
  }

  async open(query = '') {
    await this.page.goto(`./${query}`);
    await expect(this.topology).toBeVisible();
    await expect(this.token).toBeVisible();
  }

  /** A fresh start: no saved scenario or preferences. */
  async openFresh(query = '') {
    await this.page.goto('./');
    await this.page.evaluate(() => localStorage.clear());
    await this.open(query);
  }

  get topology(): Locator {
    return this.page.getByTestId('topology');
  }
  get token(): Locator {
    return this.page.getByTestId('packet-token');
  }
  get stepCount(): Locator {
    return this.page.getByTestId('step-count');
  }
  stepItems(): Locator {
    return this.page.locator('[data-testid="step-list"] > li');
  }
  get diagnostics(): Locator {
    return this.page.getByTestId('diagnostic');
  }
  pods(): Locator {
    return this.page.locator('[data-testid^="ns-"]');
  }
  device(id: string): Locator {
    return this.page.getByTestId(`dev-${id}`);
  }
  devicesOfKind(kind: string): Locator {
    return this.page.locator(`.pw-dev-${kind}`);
  }
  edgesOfKind(kind: string): Locator {
    return this.page.locator(`.react-flow__edge.pw-edge-${kind}`);
  }

  async tokenAt(): Promise<string> {
    return (await this.token.getAttribute('data-at')) ?? '';
  }
  async tokenStep(): Promise<number> {
    return Number(await this.token.getAttribute('data-step'));
  }

  async next() {
    await this.page.getByTestId('step-next').click();
  }
  async back() {
    await this.page.getByTestId('step-back').click();
  }
  async pressKey(key: string) {
    await this.page.locator('body').press(key);
  }

  async setLanguage(code: 'en' | 'zh') {
    await this.page.getByTestId('language-switch').selectOption(code);
  }

  /** The Monaco editor, once it has loaded. */
  async editorReady() {
    await expect(this.page.locator('[data-testid="editor"] .view-lines')).toBeVisible();
  }

  /** Types at the end of the first line containing `contains`, after deleting `erase` characters. */
  async typeAtEndOf(contains: string, erase: number, text: string) {
    await this.editorReady();
    const line = this.page.locator('[data-testid="editor"] .view-line', { hasText: contains });
    await line.first().click();
    await this.page.keyboard.press('End');
    for (let i = 0; i < erase; i++) await this.page.keyboard.press('Backspace');
    await this.page.keyboard.type(text);
  }

  /** The `?debug` hooks of src/ui/debug-hooks.ts: break the engine worker on purpose. */
  async crashWorker() {
    await this.page.evaluate(() => (window as unknown as DebugWindow).packetwalkDebug.crash());
  }
  async hangWorker(budgetMs: number) {
    await this.page.evaluate(
      (ms) => (window as unknown as DebugWindow).packetwalkDebug.hang(ms),
      budgetMs,
    );
  }

  async editorText(): Promise<string> {
    // Monaco renders spaces as no-break spaces.
    const text = await this.page.locator('[data-testid="editor"] .view-lines').innerText();
    return text.replace(/\u00a0/g, ' ');
  }
}
