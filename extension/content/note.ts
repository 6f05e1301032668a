/**
 * "Insert into note" (引用到病历): the one place the extension writes into the EMR page, and only
 * text the physician chose to cite. The EMR's own scripts must notice the change as if typed, so
 * the value is set through the DOM and `input`/`change` are dispatched (React-controlled fields
 * compare the DOM value with their own copy on `input`).
 */
export function insertIntoNote(el: HTMLElement, text: string, options: { atCaret?: boolean } = {}): boolean {
  if (isTextField(el)) {
    const field = el;
    if (field.disabled || field.readOnly) return false;
    // A field keeps its selection after losing focus to the sidebar, but an untouched one reports
    // 0: use the caret only if the physician has been in the field.
    const atCaret = options.atCaret || field.ownerDocument.activeElement === field;
    const start = atCaret ? (field.selectionStart ?? field.value.length) : field.value.length;
    const end = atCaret ? (field.selectionEnd ?? start) : start;
    const before = field.value.slice(0, start);
    // At the end of the text a citation starts on its own line; in the middle it goes where the caret is.
    const piece = start === field.value.length && before && !before.endsWith('\n') ? `\n${text}` : text;
    try {
      field.setRangeText(piece, start, end, 'end');
    } catch {
      field.value = before + piece + field.value.slice(end); // input types without a selection API
    }
    fire(field);
    return true;
  }
  if (isEditable(el)) {
    const doc = el.ownerDocument;
    const selection = doc.getSelection();
    const node = doc.createTextNode(text);
    const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : undefined;
    if (range && el.contains(range.commonAncestorContainer)) {
      range.deleteContents();
      range.insertNode(node);
      range.setStartAfter(node);
      range.collapse(true);
    } else {
      if (el.textContent) el.append(doc.createElement('br'));
      el.append(node);
    }
    fire(el);
    return true;
  }
  return false;
}

function fire(el: HTMLElement): void {
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

// Tag names, not instanceof: a field inside a frame belongs to that frame's window.
function isTextField(el: HTMLElement): el is HTMLTextAreaElement | HTMLInputElement {
  return el.tagName === 'TEXTAREA' || el.tagName === 'INPUT';
}

function isEditable(el: HTMLElement): boolean {
  const attr = el.getAttribute('contenteditable');
  return el.isContentEditable || attr === '' || attr === 'true' || attr === 'plaintext-only';
}

/** Whether text can be inserted there: a writable text field or an editable element. */
export function canInsert(el: HTMLElement | undefined): boolean {
  if (!el) return false;
  if (isTextField(el)) return !el.readOnly && !el.disabled;
  return isEditable(el);
}
