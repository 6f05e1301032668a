import { useId, useState } from 'react';
import type { Choice } from '../../paper/search';

/**
 * A searchable picker (combobox): type a name, an alias or 拼音首字母; ↑/↓ move, Enter picks,
 * Escape closes; options are also clickable. `onText` reports what is typed (a typed value is
 * allowed where the caller allows it).
 */
export function Picker<C extends Choice>({
  label,
  hint,
  text,
  onText,
  search,
  onPick,
  invalid,
  noMatch,
}: {
  label: string;
  hint: string;
  text: string;
  onText: (text: string) => void;
  search: (query: string) => C[];
  onPick: (choice: C) => void;
  invalid?: boolean;
  noMatch: string;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const options = open ? search(text) : [];
  const pick = (c: C) => {
    onPick(c);
    setOpen(false);
  };
  return (
    <div className="hr-picker">
      <label htmlFor={`${id}-input`}>{label}</label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-expanded={open && options.length > 0}
        aria-controls={`${id}-list`}
        aria-activedescendant={open && options[active] ? `${id}-o${active}` : undefined}
        aria-describedby={`${id}-hint`}
        aria-invalid={invalid || undefined}
        value={text}
        onChange={(e) => {
          onText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, Math.max(options.length - 1, 0)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && open && options[active]) {
            e.preventDefault();
            pick(options[active]!);
          } else if (e.key === 'Escape') setOpen(false);
        }}
      />
      <span id={`${id}-hint`} className="hr-hint">
        {hint}
      </span>
      {open && text.trim() !== '' && (
        <ul id={`${id}-list`} role="listbox" className="hr-options" aria-label={label}>
          {options.length === 0 && <li className="hr-muted">{noMatch}</li>}
          {options.map((c, i) => (
            <li
              key={c.key}
              id={`${id}-o${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'hr-option hr-option-active' : 'hr-option'}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c);
              }}
            >
              {c.label}
              {c.detail && <span className="hr-muted"> · {c.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
