import type { Notice } from '../../decisions/patient-notice';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function noticeHtml(notice: Notice): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(notice.title)}</title>
<style>body{font:16px/1.8 "SimSun","Songti SC","WenQuanYi Zen Hei",serif;margin:40px;color:#000}h1{text-align:center;font-size:22px}p{text-indent:2em;margin:0 0 8px}.sign{text-indent:0;margin-top:24px}</style>
</head><body><h1>${escape(notice.title)}</h1>${notice.paragraphs.map((p) => `<p>${escape(p)}</p>`).join('')}
${notice.signatures.map((s) => `<p class="sign">${escape(s)}</p>`).join('')}</body></html>`;
}

/**
 * Prints the notice from a throwaway same-document iframe: in the extension sidebar it stays in
 * the extension's origin, in the widget in the host's; nothing goes to another page.
 */
export function printNotice(notice: Notice, doc: Document = document): void {
  const frame = doc.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.style.cssText = 'position:fixed;width:0;height:0;border:0;left:-9999px';
  doc.body.append(frame);
  const win = frame.contentWindow!;
  win.document.open();
  win.document.write(noticeHtml(notice));
  win.document.close();
  win.focus();
  win.print();
  setTimeout(() => frame.remove(), 1_000);
}
