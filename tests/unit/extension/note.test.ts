import { describe, expect, test } from 'vitest';
import { canInsert, insertIntoNote } from '../../../extension/content/note';

function page(html: string) {
  document.body.innerHTML = html;
  const events: string[] = [];
  const note = document.getElementById('note') as HTMLElement;
  for (const type of ['input', 'change']) note.addEventListener(type, () => events.push(type));
  return { note, events };
}

const CITE = '外院检查：血常规（2026-11-01，湛江中心人民医院），结果互认。';

describe('insert into note', () => {
  test('appends to a textarea on its own line and tells the EMR as if typed', () => {
    const { note, events } = page('<textarea id="note">主诉：胸闷3天</textarea>');
    expect(insertIntoNote(note, CITE)).toBe(true);
    expect((note as HTMLTextAreaElement).value).toBe(`主诉：胸闷3天\n${CITE}`);
    expect(events).toEqual(['input', 'change']);
  });

  test('inserts at the caret when the physician is typing in the field', () => {
    const { note } = page('<textarea id="note">辅助检查：。既往史：无</textarea>');
    const field = note as HTMLTextAreaElement;
    field.focus();
    field.setSelectionRange(5, 5);
    insertIntoNote(field, '血常规可互认');
    expect(field.value).toBe('辅助检查：血常规可互认。既往史：无');
  });

  test('an untouched field (selection at 0) gets the text at the end; a visited one at its caret, even after blur', () => {
    const { note } = page('<textarea id="note">主诉：胸闷。</textarea>');
    const field = note as HTMLTextAreaElement;
    field.setSelectionRange(0, 0);
    insertIntoNote(field, '甲');
    expect(field.value).toBe('主诉：胸闷。\n甲');
    field.setSelectionRange(3, 3);
    field.blur();
    insertIntoNote(field, '乙', { atCaret: true });
    expect(field.value).toBe('主诉：乙胸闷。\n甲');
  });

  test('an empty field gets the text without a leading newline; inputs work too', () => {
    const { note } = page('<input id="note" type="text">');
    insertIntoNote(note, CITE);
    expect((note as HTMLInputElement).value).toBe(CITE);
  });

  test('contenteditable notes get a text node, never markup', () => {
    const { note, events } = page('<div id="note" contenteditable="true">主诉：胸闷</div>');
    insertIntoNote(note, '<b>x</b>');
    expect(note.textContent).toBe('主诉：胸闷<b>x</b>');
    expect(note.querySelector('b')).toBeNull();
    expect(events).toContain('input');
  });

  test('read-only, disabled and plain elements are refused', () => {
    expect(canInsert(page('<textarea id="note" readonly></textarea>').note)).toBe(false);
    expect(canInsert(page('<textarea id="note" disabled></textarea>').note)).toBe(false);
    expect(canInsert(page('<div id="note">text</div>').note)).toBe(false);
    expect(canInsert(undefined)).toBe(false);
    expect(canInsert(page('<textarea id="note"></textarea>').note)).toBe(true);
  });
});
