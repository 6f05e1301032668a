import { useT } from '../i18n/I18nProvider';
import { linear, niceTicks } from './scale';
import type { TrendData, TrendPoint } from './trend-series';

const W = 440;
const H = 250;
const M = { left: 44, right: 12, top: 24, bottom: 28 };
/** Institution colours; red is kept for "outside its own range". */
const COLOURS = ['#0b6bcb', '#1a7f37', '#8250df', '#bc4c00', '#0a7c86', '#6e7781', '#bf3989', '#4d2d00'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross'] as const;
const BAD = '#b42318';

export function Marker({ shape, x, y, r, fill, stroke }: { shape: (typeof SHAPES)[number]; x: number; y: number; r: number; fill: string; stroke: string }) {
  const p = { fill, stroke, strokeWidth: 1.5 };
  switch (shape) {
    case 'circle':
      return <circle cx={x} cy={y} r={r} {...p} />;
    case 'square':
      return <rect x={x - r} y={y - r} width={2 * r} height={2 * r} {...p} />;
    case 'triangle':
      return <polygon points={`${x},${y - r * 1.2} ${x + r * 1.1},${y + r * 0.8} ${x - r * 1.1},${y + r * 0.8}`} {...p} />;
    case 'triangle-down':
      return <polygon points={`${x},${y + r * 1.2} ${x + r * 1.1},${y - r * 0.8} ${x - r * 1.1},${y - r * 0.8}`} {...p} />;
    case 'diamond':
      return <polygon points={`${x},${y - r * 1.3} ${x + r * 1.1},${y} ${x},${y + r * 1.3} ${x - r * 1.1},${y}`} {...p} />;
    default:
      return <path d={`M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}`} stroke={stroke} strokeWidth={2.5} fill="none" />;
  }
}

/** Colour and shape per institution, in order of first appearance. */
export function institutionStyles(points: readonly TrendPoint[]): Map<string, { colour: string; shape: (typeof SHAPES)[number] }> {
  const styles = new Map<string, { colour: string; shape: (typeof SHAPES)[number] }>();
  for (const p of points) {
    if (styles.has(p.issuer)) continue;
    const i = styles.size;
    styles.set(p.issuer, { colour: COLOURS[i % COLOURS.length]!, shape: SHAPES[i % SHAPES.length]! });
  }
  return styles;
}

/**
 * Line chart of one analyte over time: x = date, y = value; each point in its institution's
 * colour and shape, with its own lab's reference range as a band at that point; values outside
 * their own range ringed in red. The table beside it carries the same data for screen readers.
 */
export function TrendChart({ data }: { data: TrendData }) {
  const t = useT();
  const { points } = data;
  const styles = institutionStyles(points);
  const outside = points.filter((p) => p.outside).length;
  const label = t('trendChartLabel', { item: data.analyte.name, count: points.length, issuers: styles.size, outside });

  const values = points.flatMap((p) => [p.value, p.low, p.high].filter((v): v is number => v !== undefined));
  const ticks = niceTicks(Math.min(...values), Math.max(...values), 5);
  const y = linear(ticks[0]!, ticks.at(-1)!, H - M.bottom, M.top);
  const t0 = points[0]!.time;
  const t1 = points.at(-1)!.time;
  const pad = Math.max((t1 - t0) * 0.04, 86_400_000);
  const x = linear(t0 - pad, t1 + pad, M.left, W - M.right);
  const dayTicks = dateTicks(points);

  return (
    <figure className="hr-trend-figure">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} className="hr-trend-svg" preserveAspectRatio="xMidYMid meet">
        <title>{label}</title>
        {ticks.map((v) => (
          <g key={`y${v}`}>
            <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} stroke="#eaeef2" />
            <text x={M.left - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#57606a">
              {v}
            </text>
          </g>
        ))}
        {data.unit && (
          <text x={M.left} y={12} fontSize="12" fill="#57606a">
            {data.unit}
          </text>
        )}
        {dayTicks.map((p) => (
          <text key={`x${p.time}`} x={x(p.time)} y={H - 10} textAnchor="middle" fontSize="11" fill="#57606a">
            {p.date.slice(5)}
          </text>
        ))}
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} stroke="#8c959f" />
        {/* Each point's own reference range: a band with caps at the lab's low and high. */}
        {points.map((p) => {
          if (p.low === undefined && p.high === undefined) return null;
          const s = styles.get(p.issuer)!;
          const top = y(p.high ?? ticks.at(-1)!);
          const bottom = y(p.low ?? ticks[0]!);
          return (
            <g key={`r${p.resultId}`} data-testid="trend-range">
              <rect x={x(p.time) - 6} y={top} width={12} height={Math.max(1, bottom - top)} fill={s.colour} opacity={0.14} />
              {p.high !== undefined && <line x1={x(p.time) - 6} x2={x(p.time) + 6} y1={top} y2={top} stroke={s.colour} strokeWidth={1.5} />}
              {p.low !== undefined && <line x1={x(p.time) - 6} x2={x(p.time) + 6} y1={bottom} y2={bottom} stroke={s.colour} strokeWidth={1.5} />}
            </g>
          );
        })}
        <polyline points={points.map((p) => `${x(p.time)},${y(p.value)}`).join(' ')} fill="none" stroke="#8c959f" strokeWidth={1.2} />
        {points.map((p) => {
          const s = styles.get(p.issuer)!;
          return (
            <g key={p.resultId} data-outside={p.outside ?? undefined}>
              <title>{`${p.date} ${p.issuer} ${p.value}${p.unit ? ` ${p.unit}` : ''}${p.rangeText ? `（${t('referenceRange', { range: p.rangeText })}）` : ''}`}</title>
              {p.outside && <circle cx={x(p.time)} cy={y(p.value)} r={9} fill="none" stroke={BAD} strokeWidth={2} />}
              <Marker shape={s.shape} x={x(p.time)} y={y(p.value)} r={4.5} fill={p.outside ? BAD : s.colour} stroke={p.outside ? BAD : s.colour} />
            </g>
          );
        })}
      </svg>
      <figcaption className="hr-trend-legend">
        {[...styles.entries()].map(([issuer, s]) => (
          <span key={issuer} className="hr-legend-item">
            <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
              <Marker shape={s.shape} x={7} y={7} r={4.5} fill={s.colour} stroke={s.colour} />
            </svg>
            {issuer}
          </span>
        ))}
        <span className="hr-legend-item">
          <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
            <rect x="3" y="1" width="8" height="12" fill="#0b6bcb" opacity="0.14" />
            <line x1="3" x2="11" y1="1.5" y2="1.5" stroke="#0b6bcb" />
            <line x1="3" x2="11" y1="12.5" y2="12.5" stroke="#0b6bcb" />
          </svg>
          {t('trendLegendRange')}
        </span>
        <span className="hr-legend-item">
          <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
            <circle cx="7" cy="7" r="5.5" fill="none" stroke={BAD} strokeWidth="2" />
          </svg>
          {t('trendLegendOutside')}
        </span>
      </figcaption>
    </figure>
  );
}

/** At most six date labels, spread over the points' days. */
function dateTicks(points: readonly TrendPoint[]): TrendPoint[] {
  const days: TrendPoint[] = [];
  for (const p of points) if (days.at(-1)?.date !== p.date) days.push(p);
  if (days.length <= 6) return days;
  const step = (days.length - 1) / 5;
  return Array.from({ length: 6 }, (_, i) => days[Math.round(i * step)]!);
}
