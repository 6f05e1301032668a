import { expect, test } from 'vitest';
import { screenshotPath, sidebarFrame, useExtensionDemo } from './support.ts';

const demo = useExtensionDemo();

/**
 * A hostile EMR page: from its first script on, it records every window message and every DOM
 * mutation it can see, then searches its DOM (with open shadow roots), storage and IndexedDB.
 */
const HOSTILE_RECORDER = `
  window.__seen = [];
  window.addEventListener('message', (e) => {
    try { window.__seen.push('message:' + JSON.stringify(e.data)); } catch { window.__seen.push('message:' + String(e.data)); }
  }, true);
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) window.__seen.push('added:' + (n.outerHTML || n.textContent || ''));
      if (r.type === 'attributes') window.__seen.push('attr:' + r.attributeName + '=' + r.target.getAttribute(r.attributeName));
      if (r.type === 'characterData') window.__seen.push('text:' + r.target.data);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
`;

async function everythingThePageCanSee(): Promise<string> {
  const parts: string[] = [document.documentElement.outerHTML];
  const walk = (root: Document | ShadowRoot) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) {
        parts.push(el.shadowRoot.innerHTML);
        walk(el.shadowRoot);
      }
    }
  };
  walk(document);
  for (const store of [localStorage, sessionStorage]) {
    for (let i = 0; i < store.length; i++) parts.push(`${store.key(i)}=${store.getItem(store.key(i)!)}`);
  }
  parts.push(document.cookie);
  for (const info of await indexedDB.databases()) {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open(info.name!);
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    parts.push(`idb:${info.name}`);
    for (const name of db.objectStoreNames) {
      const all = await new Promise<unknown[]>((ok) => {
        const req = db.transaction(name).objectStore(name).getAll();
        req.onsuccess = () => ok(req.result);
      });
      parts.push(JSON.stringify(all));
    }
    db.close();
  }
  for (const key of await caches.keys()) parts.push(`cache:${key}`);
  parts.push(...((window as unknown as { __seen: string[] }).__seen ?? []));
  return parts.join('\n');
}

test('nothing the sidebar shows reaches the EMR page: DOM, shadow roots, storage, IndexedDB or messages', async () => {
  const page = await demo.browser.context.newPage();
  await page.addInitScript(HOSTILE_RECORDER);
  await page.goto(`${demo.server.url}/emr/?open=0`);
  const frame = await sidebarFrame(page, demo.browser.extensionId);
  await frame.getByText(/可互认（\d+）/).waitFor();
  // Make a decision too, so the hostile page has every chance to see one go by.
  const cbc = frame.getByRole('article', { name: /血细胞分析/ }).first();
  await cbc.getByRole('button', { name: '互认' }).click();
  await cbc.getByText('已互认').waitFor();

  // What only the sidebar knows: issuers, dates, values, days left, the citation.
  const secrets = await frame.evaluate(() => {
    const texts = [...document.querySelectorAll('.hr-card-meta, .hr-days, .hr-value, .hr-card-summary, .hr-freshness, .hr-citation-text')]
      .map((el) => el.textContent!.trim())
      .filter((t) => t.length > 3);
    return [...new Set(texts)];
  });
  expect(secrets.length).toBeGreaterThan(8);
  expect(secrets.some((s) => s.includes('湛江中心人民医院'))).toBe(true);

  await page.waitForTimeout(300);
  const visible = await page.evaluate(everythingThePageCanSee);
  // The recorder did work: it saw the page's own patient banner being filled in.
  expect(visible).toContain('data-field="id-card"');
  for (const secret of secrets) expect(visible, `page can see "${secret}"`).not.toContain(secret);
  await page.screenshot({ path: screenshotPath('no-leak-emr') });
});
