/** Horizontal bar charts for the statistics page, plain SVG (no chart library), each with role="img" and a label. */

export interface Bar {
  key: string;
  label: string;
  /** 0..1 for rates; any non-negative number for counts. */
  value: number;
  /** Text at the end of the bar, e.g. "80%（5）". */
  text: string;
  /** Drawn in the warning colour (a deviation). */
  flagged?: boolean;
}

const ROW = 26;
const LABEL_W = 150;
const TEXT_W = 96;
const W = 640;

/** One bar per group; for rates, a dashed line marks the overall (average) rate. */
export function BarChart({ bars, max, label, reference }: { bars: readonly Bar[]; max: number; label: string; reference?: { value: number; text: string } }) {
  const plotW = W - LABEL_W - TEXT_W;
  const top = reference ? 18 : 4;
  const h = top + bars.length * ROW + 4;
  const x = (v: number) => LABEL_W + (max > 0 ? (v / max) * plotW : 0);
  return (
    <svg className="hr-bars" viewBox={`0 0 ${W} ${h}`} role="img" aria-label={label} preserveAspectRatio="xMinYMin meet">
      <title>{label}</title>
      {bars.map((b, i) => {
        const y = top + i * ROW;
        return (
          <g key={b.key}>
            <text x={LABEL_W - 8} y={y + ROW / 2 + 4} textAnchor="end" fontSize="12" fill="#1f2328">
              {b.label.length > 11 ? `${b.label.slice(0, 10)}…` : b.label}
            </text>
            <rect x={LABEL_W} y={y + 4} width={plotW} height={ROW - 8} fill="#f6f8fa" />
            <rect x={LABEL_W} y={y + 4} width={Math.max(0, x(b.value) - LABEL_W)} height={ROW - 8} fill={b.flagged ? '#b42318' : '#0b6bcb'} rx="2" />
            <text x={LABEL_W + plotW + 6} y={y + ROW / 2 + 4} fontSize="12" fill={b.flagged ? '#b42318' : '#1f2328'} fontWeight={b.flagged ? 600 : 400}>
              {b.text}
            </text>
          </g>
        );
      })}
      {reference && (
        <g>
          <line x1={x(reference.value)} x2={x(reference.value)} y1={12} y2={h - 2} stroke="#1f2328" strokeDasharray="4 3" />
          <text x={x(reference.value)} y={10} textAnchor="middle" fontSize="11" fill="#1f2328">
            {reference.text}
          </text>
        </g>
      )}
    </svg>
  );
}

export const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);
