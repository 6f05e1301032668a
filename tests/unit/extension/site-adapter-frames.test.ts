import { describe, expect, test } from 'vitest';
import { BUNDLED_ADAPTERS, ID_CARD_SYSTEM } from '../../../extension/settings/bundled-adapters';
import { readout } from '../../../extension/content/readout';
import { adapterFor, frameDocument, frameReader, framePaths, noteElement, readContext, readField, type SiteAdapter } from '../../../extension/content/site-adapter';

function doc(html: string): Document {
  const d = document.implementation.createHTMLDocument('frame');
  d.body.innerHTML = html;
  return d;
}

/** Gives an <iframe> in `parent` the document `child`, as a loaded same-origin frame would have. */
function attach(parent: Document, selector: string, child: Document | null): void {
  Object.defineProperty(parent.querySelector(selector)!, 'contentDocument', { value: child });
}

/** The framed demo EMR as the browser shows it: shell › workspace frame › orders frame. */
function framedEmr(): Document {
  const top = doc(`<header><div id="doctor-info">科室：呼吸内科　医师：王芳　诊室：5诊室</div></header>
    <iframe id="workspace"></iframe>`);
  const workspace = doc(`<div id="pat-info" class="banner">姓名：李娜　性别：女　年龄：38岁　证件号：44080219880412002X　门诊号：MZ0001</div>
    <iframe id="orders-frame"></iframe>`);
  const orders = doc(`<ul id="orders"><li><span class="item" data-code="58410-2">血常规</span></li><li><span class="item">胸部CT</span></li></ul>
    <div id="note" contenteditable="true"></div>`);
  attach(top, '#workspace', workspace);
  attach(workspace, '#orders-frame', orders);
  return top;
}

const framed = BUNDLED_ADAPTERS.find((a) => a.id === 'demo-outpatient-frames')!;

describe('reading through nested frames', () => {
  test('the framed demo page is matched by its own adapter', () => {
    expect(adapterFor(BUNDLED_ADAPTERS, 'http://127.0.0.1:8787/assets/emr-frames.html?open=1')?.id).toBe('demo-outpatient-frames');
    expect(adapterFor(BUNDLED_ADAPTERS, 'http://localhost:9000/emr/')?.id).toBe('demo-outpatient');
  });

  test('patient from one line of text by patterns, user from the top document, orders two frames down', () => {
    expect(readContext(framedEmr(), framed)).toEqual({
      adapterId: 'demo-outpatient-frames',
      patient: { identifier: { system: ID_CARD_SYSTEM, value: '44080219880412002X' }, name: '李娜', gender: '女', age: '38岁' },
      orders: [
        { name: '血常规', code: '58410-2' },
        { name: '胸部CT', code: undefined },
      ],
      user: { physician: '王芳', department: '呼吸内科' },
    });
  });

  test('the note field is found in its frame', () => {
    expect(noteElement(framedEmr(), framed)?.id).toBe('note');
  });

  test('a frame not loaded yet, or cross-origin (no contentDocument), reads as no patient', () => {
    const top = doc('<iframe id="workspace"></iframe>');
    attach(top, '#workspace', null);
    expect(frameDocument(top, ['iframe#workspace'])).toBeUndefined();
    expect(readContext(top, framed)).toBeUndefined();
    expect(frameDocument(top, ['#missing'])).toBeUndefined();
  });

  test('a selector that names something other than a frame is not followed', () => {
    expect(frameDocument(doc('<div id="workspace"></div>'), ['#workspace'])).toBeUndefined();
  });

  test('every frame path the adapter reads from is listed once, the top document included', () => {
    expect(framePaths(framed)).toEqual([['iframe#workspace'], ['iframe#workspace', 'iframe#orders-frame'], []]);
  });

  test('the options page test reports the masked identifier and which frames were readable', () => {
    const r = readout(framedEmr(), frameReader(framed, 'http://127.0.0.1:8787/assets/emr-frames.html', true)!);
    expect(r.part.fields.identifier).toBe('4408**********002X');
    expect(JSON.stringify(r)).not.toContain('44080219880412002X');
    expect(r.part.note).toBe(true);
    expect(r.frames).toEqual([
      { path: ['iframe#workspace'], found: true },
      { path: ['iframe#workspace', 'iframe#orders-frame'], found: true },
    ]);
  });
});

describe('field rules', () => {
  const page = doc(`<div id="a" title=" 门诊号  MZ-77 ">  ignored </div><p class="line">血钾 4.1 mmol/L</p>`);

  test('attribute, whitespace collapsed and trimmed', () => {
    expect(readField(page, { selector: '#a', attribute: 'title' })).toBe('门诊号 MZ-77');
  });

  test('pattern keeps the first group, or the whole match without one', () => {
    expect(readField(page, { selector: '.line', pattern: '([\\d.]+) mmol' })).toBe('4.1');
    expect(readField(page, { selector: '.line', pattern: '\\d\\.\\d' })).toBe('4.1');
    expect(readField(page, { selector: '.line', pattern: 'mg/dL' })).toBeUndefined();
  });

  test('a malformed selector or pattern reads nothing instead of throwing', () => {
    expect(readField(page, { selector: 'div[' })).toBeUndefined();
    expect(readField(page, { selector: '.line', pattern: '(' })).toBeUndefined();
    const broken: SiteAdapter = { id: 'x', urlPatterns: ['('], patient: { identifier: { selector: '#a' } } };
    expect(adapterFor([broken], 'https://emr.example/')).toBeUndefined();
  });
});
