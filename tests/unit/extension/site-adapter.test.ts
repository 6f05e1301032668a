import { describe, expect, test } from 'vitest';
import { BUNDLED_ADAPTERS, ID_CARD_SYSTEM } from '../../../extension/settings/bundled-adapters';
import { adapterFor, readContext } from '../../../extension/content/site-adapter';

const EMR_HTML = `
  <header><div id="doctor-info">科室：心血管内科　医师：李明　诊室：3诊室</div></header>
  <section id="patient-banner">
    <span data-field="name">张伟</span><span data-field="gender">男</span><span data-field="age">56岁</span>
    <span data-field="id-card" data-value="440802197003150017">440802********0017</span>
  </section>
  <table id="order-list"><tbody>
    <tr><td data-field="order-name" data-code="58410-2">血常规</td><td>检验</td></tr>
    <tr><td data-field="order-name" data-code="CT-CHEST"> 胸部CT </td><td>检查</td></tr>
  </tbody></table>
  <textarea id="note"></textarea>`;

function page(html: string): Document {
  const doc = document.implementation.createHTMLDocument('emr');
  doc.body.innerHTML = html;
  return doc;
}

describe('demo outpatient adapter', () => {
  const adapter = adapterFor(BUNDLED_ADAPTERS, 'http://127.0.0.1:8787/emr/?open=0')!;

  test('applies to the demo EMR only', () => {
    expect(adapter.id).toBe('demo-outpatient');
    expect(adapterFor(BUNDLED_ADAPTERS, 'http://127.0.0.1:8787/inhouse/')).toBeUndefined();
    expect(adapterFor(BUNDLED_ADAPTERS, 'https://evil.example/emr/')).toBeUndefined();
  });

  test('reads the full identifier from the attribute, not the masked text', () => {
    const ctx = readContext(page(EMR_HTML), adapter)!;
    expect(ctx.patient).toEqual({
      identifier: { system: ID_CARD_SYSTEM, value: '440802197003150017' },
      name: '张伟',
      gender: '男',
      age: '56岁',
    });
  });

  test('reads orders with their codes, trimming whitespace', () => {
    expect(readContext(page(EMR_HTML), adapter)!.orders).toEqual([
      { name: '血常规', code: '58410-2' },
      { name: '胸部CT', code: 'CT-CHEST' },
    ]);
  });

  test('reads physician and department with patterns over one line of text', () => {
    expect(readContext(page(EMR_HTML), adapter)!.user).toEqual({ physician: '李明', department: '心血管内科' });
  });

  test('no patient open: nothing is read', () => {
    expect(readContext(page('<section id="patient-banner"><span data-field="name"></span></section>'), adapter)).toBeUndefined();
  });
});
