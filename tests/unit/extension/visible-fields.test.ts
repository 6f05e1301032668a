import { afterEach, describe, expect, test, vi } from 'vitest';
import { BUNDLED_ADAPTERS } from '../../../extension/settings/bundled-adapters';
import { adapterFor, readContext, readField, readPart, frameReader, type SiteAdapter } from '../../../extension/content/site-adapter';
import { isVisible } from '../../../extension/content/visible';

/**
 * Security review, issue 14: a page showing patient A with a hidden first-matching element
 * carrying B's 身份证号 made the sidebar show A's name over B's results. Adapters read what the
 * physician sees: the first *visible* match.
 */
const A_ID = '440802197003150017';
const B_ID = '110101199211031229';

function page(html: string): Document {
  const doc = document.implementation.createHTMLDocument('emr');
  doc.body.innerHTML = html;
  return doc;
}

/** The demo EMR's banner, with something hidden before A's own fields. */
const banner = (hidden: string) => `
  <style>.gone { display: none } .ghost { visibility: hidden } .clear { opacity: 0 }</style>
  <section id="patient-banner">
    ${hidden}
    <span data-field="name">张伟</span><span data-field="gender">男</span><span data-field="age">56岁</span>
    <span data-field="id-card" data-value="${A_ID}">4408**********0017</span>
  </section>
  <table id="order-list"><tbody>
    <tr style="display:none"><td data-field="order-name" data-code="CT-HEAD">头颅CT</td></tr>
    <tr><td data-field="order-name" data-code="58410-2">血常规</td></tr>
  </tbody></table>`;

const bField = (attrs: string) => `<span data-field="id-card" data-value="${B_ID}" ${attrs}>1101**********1229</span>`;

describe('adapters read visible elements only', () => {
  const adapter = adapterFor(BUNDLED_ADAPTERS, 'http://127.0.0.1:8787/emr/?open=0')!;

  test.each([
    ['the hidden attribute', bField('hidden')],
    ['display:none inline', bField('style="display:none"')],
    ['display:none from a class', bField('class="gone"')],
    ['visibility:hidden', bField('class="ghost"')],
    ['opacity:0', bField('class="clear"')],
    ['a hidden ancestor', `<div style="display:none"><div>${bField('')}</div></div>`],
    ['a closed <details>', `<details><summary>历史患者</summary>${bField('')}</details>`],
    ['a <template>', `<template>${bField('')}</template>`],
  ])('a first match hidden by %s carrying B’s 身份证号 is passed over: A’s is read', (_how, hidden) => {
    const ctx = readContext(page(banner(hidden)), adapter)!;
    expect(ctx.patient.identifier.value).toBe(A_ID);
    expect(ctx.patient.name).toBe('张伟');
  });

  test('an open <details> shows its content: that match is read', () => {
    const ctx = readContext(page(banner(`<details open><summary>当前患者</summary>${bField('')}</details>`)), adapter)!;
    expect(ctx.patient.identifier.value).toBe(B_ID);
  });

  test('hidden order rows are not orders', () => {
    expect(readContext(page(banner('')), adapter)!.orders).toEqual([{ name: '血常规', code: '58410-2' }]);
  });

  test('only hidden matches: no patient is read', () => {
    const doc = page(`<section id="patient-banner"><span data-field="name" hidden>李娜</span>${bField('hidden')}</section>`);
    expect(readContext(doc, adapter)).toBeUndefined();
  });

  test('the visible text of an element: a hidden part inside it adds nothing', () => {
    const doc = page(`<div id="pid">${A_ID}<span style="display:none">${B_ID}</span></div>`);
    expect(readField(doc, { selector: '#pid' })).toBe(A_ID);
  });
});

describe('label-relative fields skip what is hidden', () => {
  const adapter: SiteAdapter = {
    id: 'ext-his',
    urlPatterns: ['.*'],
    patient: { identifier: { label: '身份证号' }, name: { label: '姓名' } },
  };

  test('a hidden label row before the shown one', () => {
    const doc = page(`
      <table><tbody>
        <tr style="display:none"><td>姓名：</td><td>李娜</td><td>身份证号：</td><td>${B_ID}</td></tr>
        <tr><td>姓名：</td><td>张伟</td><td>身份证号：</td><td>${A_ID}</td></tr>
      </tbody></table>`);
    expect(readContext(doc, adapter)!.patient).toMatchObject({ name: '张伟', identifier: { value: A_ID } });
  });

  test('a hidden value cell between the label and the shown value', () => {
    const doc = page(`<table><tbody><tr><td>身份证号：</td><td style="visibility:hidden">${B_ID}</td><td>${A_ID}</td></tr></tbody></table>`);
    expect(readField(doc, { label: '身份证号' })).toBe(A_ID);
  });

  test('a hidden sibling after an inline label', () => {
    const doc = page(`<div><span>身份证号：</span><span hidden>${B_ID}</span><span>${A_ID}</span></div>`);
    expect(readField(doc, { label: '身份证号', take: 'next-sibling' })).toBe(A_ID);
  });

  test('a hidden <label for> control is no value; the next label’s is', () => {
    const doc = page(`
      <label for="old">身份证号</label><input id="old" value="${B_ID}" style="display:none">
      <label for="cur">身份证号</label><input id="cur" value="${A_ID}">`);
    expect(readField(doc, { label: '身份证号' })).toBe(A_ID);
  });

  test('take rest: hidden text inside the line is not part of the value', () => {
    const doc = page(`<div>姓名：张伟　身份证号：<span hidden>${B_ID}</span>${A_ID}</div>`);
    expect(readField(doc, { label: '身份证号', take: 'rest' })).toBe(A_ID);
  });
});

describe('where the document is laid out (a browser), boxes count too', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Gives the document a layout: the root and every element get `box(el)`. */
  function layout(doc: Document, box: (el: Element) => { x: number; y: number; width: number; height: number }) {
    const rect = ({ x, y, width, height }: { x: number; y: number; width: number; height: number }) =>
      ({ x, y, width, height, left: x, top: y, right: x + width, bottom: y + height, toJSON() {} }) as DOMRect;
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      return rect(this === doc.documentElement ? { x: 0, y: 0, width: 1280, height: 800 } : box(this));
    });
    vi.spyOn(Element.prototype, 'getClientRects').mockImplementation(function (this: Element) {
      const r = rect(box(this));
      return Object.assign([r], { item: () => r }) as unknown as DOMRectList;
    });
  }

  test.each([
    ['a zero-size box', { x: 10, y: 10, width: 0, height: 0 }],
    ['a 1×1 clipped box (sr-only)', { x: 10, y: 10, width: 1, height: 1 }],
    ['an off-screen box (left:-9999px)', { x: -9999, y: 10, width: 120, height: 18 }],
  ])('%s carrying B’s 身份证号 is passed over', (_how, hiddenBox) => {
    const doc = page(banner(bField('id="spoof"')));
    layout(doc, (el) => (el.id === 'spoof' ? hiddenBox : { x: 10, y: 10, width: 120, height: 18 }));
    expect(isVisible(doc.getElementById('spoof')!)).toBe(false);
    const adapter = adapterFor(BUNDLED_ADAPTERS, 'http://127.0.0.1:8787/emr/?open=0')!;
    expect(readPart(doc, frameReader(adapter, doc.URL, true)!).fields.identifier).toBe(A_ID);
  });
});
