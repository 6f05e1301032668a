import type { Frame, Page } from 'playwright-core';

/**
 * What a patient's panel shows, reduced to what deciding does not change: the name in the header,
 * and per card its item, issuer, date and values (sorted: the platform's order may vary); per
 * other result its line. Taken in one task inside the page, so the name and the cards come from
 * the same rendered moment.
 */
export interface PanelSnapshot {
  name: string | null;
  cards: string[];
  others: string[];
}

/** The panel's shadow root is on `#huren`: the <huren-panel> (direct mode) or the frame page's element. */
export function readPanel(target: Page | Frame): Promise<PanelSnapshot> {
  return target.evaluate(() => {
    const root = document.querySelector('#huren')!.shadowRoot!;
    const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    return {
      name: root.querySelector('.hr-patient-name') ? text(root.querySelector('.hr-patient-name')) : null,
      cards: [...root.querySelectorAll('.hr-card')].map((c) => [text(c.querySelector('.hr-card-title')), text(c.querySelector('.hr-card-meta')), ...[...c.querySelectorAll('.hr-values li')].map(text).sort()].join(' | ')),
      others: [...root.querySelectorAll('.hr-others li')].map((li) => text(li)),
    };
  });
}

/**
 * Records a snapshot after every change of the panel (a MutationObserver on its shadow root), so a
 * test can check each state the physician could have seen, not only the ones it happened to sample.
 */
export function recordPanelStates(target: Page | Frame): Promise<void> {
  return target.evaluate(() => {
    const root = document.querySelector('#huren')!.shadowRoot!;
    const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const states: unknown[] = [];
    (window as unknown as { __panelStates: unknown[] }).__panelStates = states;
    new MutationObserver(() => {
      const name = root.querySelector('.hr-patient-name');
      states.push({
        name: name ? text(name) : null,
        cards: [...root.querySelectorAll('.hr-card')].map((c) => [text(c.querySelector('.hr-card-title')), text(c.querySelector('.hr-card-meta')), ...[...c.querySelectorAll('.hr-values li')].map(text).sort()].join(' | ')),
        others: [...root.querySelectorAll('.hr-others li')].map((li) => text(li)),
      });
    }).observe(root, { subtree: true, childList: true, characterData: true });
  });
}

export function recordedPanelStates(target: Page | Frame): Promise<PanelSnapshot[]> {
  return target.evaluate(() => (window as unknown as { __panelStates: PanelSnapshot[] }).__panelStates.splice(0));
}
