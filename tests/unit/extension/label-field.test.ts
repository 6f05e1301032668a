import { describe, expect, test } from 'vitest';
import { normalizeLabel } from '../../../extension/content/label-field';
import { readContext, readField, type SiteAdapter } from '../../../extension/content/site-adapter';

function page(html: string): Document {
  const doc = document.implementation.createHTMLDocument('emr');
  doc.body.innerHTML = html;
  return doc;
}

/** A 患者信息 banner as report-style HIS screens draw it: label cells and value cells, ids generated. */
const bannerTable = (order: [string, string][]) => `
  <table class="x-form-table" id="ext-gen1041"><tbody>
    <tr>${order.map(([l, v]) => `<td class="lbl" id="ext-gen${Math.floor(Math.random() * 9000)}">${l}</td><td>${v}</td>`).join('')}</tr>
  </tbody></table>`;

describe('label-relative fields: tables', () => {
  const fields: [string, string][] = [
    ['患者姓名：', '张伟'],
    ['性　　别：', '男'],
    ['年龄：', '56岁'],
    ['身份证号：', '440802197003150017'],
  ];

  test('the value in the cell after the label, whatever the label’s spacing, width or colon', () => {
    const doc = page(bannerTable(fields));
    expect(readField(doc, { label: '患者姓名' })).toBe('张伟');
    expect(readField(doc, { label: '性别' })).toBe('男');
    expect(readField(doc, { label: '身份证号:' })).toBe('440802197003150017');
  });

  test('robust to columns being reordered: the same rule reads the same values', () => {
    const reordered = page(bannerTable([fields[3]!, fields[1]!, fields[0]!, fields[2]!]));
    expect(readField(reordered, { label: '患者姓名' })).toBe('张伟');
    expect(readField(reordered, { label: '年龄' })).toBe('56岁');
  });

  test('labels split over elements, marked required, or in 全角 letters', () => {
    const doc = page(`<table><tr><td><b>门诊号</b>：</td><td> MZ 2026 0001 </td><td><span class="req">*</span><span>ＩＤ</span></td><td>X1</td></tr></table>`);
    expect(readField(doc, { label: '门诊号' })).toBe('MZ 2026 0001');
    expect(readField(doc, { label: 'ID' })).toBe('X1');
  });

  test('an empty value cell is "no value", not the next label', () => {
    const doc = page(bannerTable([['患者姓名：', ''], ['性别：', '男']]));
    expect(readField(doc, { label: '患者姓名' })).toBeUndefined();
  });

  test('a label pattern when wording varies between screens, and a value pattern after it', () => {
    const doc = page(bannerTable([['病人姓名：', '张伟'], ['年龄：', '56岁 (1970-03-15)']]));
    expect(readField(doc, { labelPattern: '^(患者|病人)?姓名$' })).toBe('张伟');
    expect(readField(doc, { label: '年龄', pattern: '^(\\d+)岁' })).toBe('56');
  });

  test('hidden labels (templates, aria-hidden measuring copies) are skipped', () => {
    const doc = page(`<div aria-hidden="true"><table><tr><td>患者姓名</td><td>测量用</td></tr></table></div>${bannerTable(fields)}`);
    expect(readField(doc, { label: '患者姓名' })).toBe('张伟');
  });

  test('within limits the search to one region: the patient banner, not the physician bar', () => {
    const doc = page(`<div id="doctor"><span>姓名：</span><span>李明</span></div><div id="banner"><span>姓名：</span><span>张伟</span></div>`);
    expect(readField(doc, { label: '姓名' })).toBe('李明');
    expect(readField(doc, { label: '姓名', within: '#banner' })).toBe('张伟');
    expect(readField(doc, { label: '姓名', within: '#nowhere' })).toBeUndefined();
  });

  test('a header row: take "column" reads the first data row under the header', () => {
    const doc = page(`<table><thead><tr><th>姓名</th><th>性别</th><th>身份证号</th></tr></thead>
      <tbody><tr><td>张伟</td><td>男</td><td>440802197003150017</td></tr></tbody></table>`);
    expect(readField(doc, { label: '身份证号', take: 'column' })).toBe('440802197003150017');
  });
});

describe('label-relative fields: forms and definition lists', () => {
  test('<label for> names the input: its value, not its text; a select gives the option’s text', () => {
    const doc = page(`<label for="ext-comp-1012">患者姓名</label><input id="ext-comp-1012" value="张伟">
      <label for="sex">性别</label><select id="sex"><option value="1" selected>男</option><option value="2">女</option></select>`);
    expect(readField(doc, { label: '患者姓名' })).toBe('张伟');
    expect(readField(doc, { label: '性别' })).toBe('男');
  });

  test('a label cell next to a cell holding only an input (ExtJS form layout)', () => {
    const doc = page(`<table><tr><td class="x-form-item-label">身份证号：</td><td><div class="x-form-element"><input type="text" value="440802197003150017" readonly></div></td></tr></table>`);
    expect(readField(doc, { label: '身份证号' })).toBe('440802197003150017');
  });

  test('<dt>/<dd> pairs and label/value spans', () => {
    const doc = page(`<dl><dt>姓名</dt><dd>张伟</dd><dt>年龄</dt><dd>56岁</dd></dl>
      <div class="bar"><span class="k">科室：</span><span class="v">心血管内科</span> <span class="k">医师：</span>李明</div>`);
    expect(readField(doc, { label: '年龄' })).toBe('56岁');
    expect(readField(doc, { label: '科室' })).toBe('心血管内科');
    // A bare text node after the label counts as its value.
    expect(readField(doc, { label: '医师' })).toBe('李明');
  });

  test('label and value in one line of text: take "rest" stops at the next label', () => {
    const doc = page(`<div id="pat">姓名：张伟　性别：男　年龄：56岁　证件号：440802197003150017　门诊号：MZ0001</div>`);
    expect(readField(doc, { label: '姓名', take: 'rest' })).toBe('张伟');
    expect(readField(doc, { label: '证件号', take: 'rest' })).toBe('440802197003150017');
    expect(readField(doc, { label: '门诊号', take: 'rest' })).toBe('MZ0001');
  });

  test('a label with no value next to it reads nothing, and a bad pattern reads nothing', () => {
    const doc = page(`<p>患者姓名</p>`);
    expect(readField(doc, { label: '患者姓名' })).toBeUndefined();
    expect(readField(doc, { labelPattern: '(' })).toBeUndefined();
  });

  test('normalization: NFKC, spaces of every kind, trailing colons', () => {
    expect(normalizeLabel(' 性　别 ： ')).toBe('性别');
    expect(normalizeLabel('ＩＤ号:')).toBe('ID号');
  });
});

/**
 * An ExtJS 6 style grid: the header is a row of divs apart from the rows, each row is its own
 * table, every id is generated. The order grid's columns can be dragged into another order.
 */
function extGrid(columns: string[], rows: Record<string, string>[]): string {
  const header = columns.map((c, i) => `<div class="x-column-header" role="columnheader" id="gridcolumn-${1010 + i}"><div class="x-column-header-inner"><span class="x-column-header-text-inner">${c}</span></div></div>`).join('');
  const body = rows
    .map(
      (r, i) =>
        `<table class="x-grid-item" id="tableview-${1100 + i}-record-${i}" role="presentation"><tbody><tr class="x-grid-row" role="row">${columns
          .map((c) => `<td class="x-grid-cell" role="gridcell"><div class="x-grid-cell-inner">${r[c] ?? ''}</div></td>`)
          .join('')}</tr></tbody></table>`,
    )
    .join('');
  return `<div class="x-grid" role="grid"><div class="x-grid-header-ct" role="rowgroup"><div class="x-box-target" role="row">${header}</div></div><div class="x-grid-view">${body}</div></div>`;
}

describe('label-relative fields: ExtJS-style order grid', () => {
  const orders = [
    { 项目名称: '血常规', 项目编码: '58410-2', 状态: '新开' },
    { 项目名称: '胸部CT', 项目编码: 'CT-CHEST', 状态: '新开' },
  ];
  const adapter: SiteAdapter = {
    id: 'ext-his',
    urlPatterns: ['.*'],
    patient: { identifier: { label: '身份证号' } },
    orders: { item: '.x-grid-item', name: { label: '项目名称', take: 'column' }, code: { label: '项目编码', take: 'column' } },
  };
  const withPatient = (grid: string) => page(`${bannerTable([['身份证号：', '440802197003150017']])}${grid}`);

  test('each row’s cell under the named column', () => {
    const ctx = readContext(withPatient(extGrid(['状态', '项目名称', '项目编码'], orders)), adapter)!;
    expect(ctx.orders).toEqual([
      { name: '血常规', code: '58410-2' },
      { name: '胸部CT', code: 'CT-CHEST' },
    ]);
  });

  test('columns dragged into another order: the same orders are read', () => {
    const ctx = readContext(withPatient(extGrid(['项目编码', '状态', '项目名称'], orders)), adapter)!;
    expect(ctx.orders).toEqual([
      { name: '血常规', code: '58410-2' },
      { name: '胸部CT', code: 'CT-CHEST' },
    ]);
  });

  test('a plain table with a header row and a colspan before the column', () => {
    const doc = page(`${bannerTable([['身份证号：', '440802197003150017']])}
      <table><tr><th colspan="2">操作</th><th>项目名称</th></tr>
      <tr class="o"><td>☐</td><td>删</td><td>肝功能</td></tr><tr class="o"><td>☐</td><td>删</td><td>肾功能</td></tr></table>`);
    const ctx = readContext(doc, { ...adapter, orders: { item: 'tr.o', name: { label: '项目名称', take: 'column' } } })!;
    expect(ctx.orders.map((o) => o.name)).toEqual(['肝功能', '肾功能']);
  });

  test('no such column: no orders, the patient is still read', () => {
    const ctx = readContext(withPatient(extGrid(['状态'], orders)), adapter)!;
    expect(ctx.patient.identifier.value).toBe('440802197003150017');
    expect(ctx.orders).toEqual([]);
  });
});
