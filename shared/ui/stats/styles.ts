/** Statistics view styles, rendered with the view (extension page and widget shadow root alike). */
export const statsCss = `
.hr-stats { --hr-accent: #0b6bcb; --hr-bad: #b42318; --hr-border: #d0d7de; --hr-muted: #57606a; font: 14px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif; color: #1f2328; max-width: 1100px; margin: 0 auto; padding: 12px 16px 32px; }
.hr-stats h1 { font-size: 20px; margin: 0 0 8px; }
.hr-stats h2 { font-size: 16px; margin: 20px 0 6px; border-bottom: 1px solid var(--hr-border); padding-bottom: 4px; }
.hr-stats button { font: inherit; padding: 4px 12px; border: 1px solid var(--hr-border); border-radius: 6px; background: #f6f8fa; cursor: pointer; }
.hr-stats button[aria-pressed="true"] { background: var(--hr-accent); border-color: var(--hr-accent); color: #fff; font-weight: 600; }
.hr-stats button:focus-visible, .hr-stats input:focus-visible { outline: 3px solid var(--hr-accent); outline-offset: 2px; }
.hr-stats input { font: inherit; }
.hr-period { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.hr-period-range { color: var(--hr-muted); margin: 4px 0 0; }
.hr-kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; margin: 12px 0; padding: 0; list-style: none; }
.hr-kpi { border: 1px solid var(--hr-border); border-radius: 8px; padding: 8px 12px; background: #fff; }
.hr-kpi-label { font-size: 12px; color: var(--hr-muted); }
.hr-kpi-value { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.hr-kpi-detail { font-size: 12px; color: var(--hr-muted); }
.hr-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; align-items: start; }
@media (max-width: 820px) { .hr-grid { grid-template-columns: minmax(0, 1fr); } }
.hr-bars { width: 100%; height: auto; display: block; }
.hr-table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
.hr-table caption { text-align: left; font-weight: 600; padding: 2px 0 4px; }
.hr-table th, .hr-table td { border-bottom: 1px solid #eaeef2; padding: 3px 6px; text-align: left; }
.hr-table td.hr-num, .hr-table th.hr-num { text-align: right; }
.hr-table th[scope="row"] { min-width: 4.5em; }
.hr-deviation { white-space: nowrap; display: inline-block; padding: 0 6px; border-radius: 4px; background: var(--hr-bad); color: #fff; font-size: 12px; font-weight: 600; }
.hr-rule { font-size: 13px; color: var(--hr-muted); background: #f6f8fa; border-radius: 6px; padding: 6px 10px; }
.hr-exports { display: grid; grid-template-columns: max-content max-content max-content; gap: 6px 10px; align-items: center; }
.hr-note { font-size: 12px; color: var(--hr-muted); }
.hr-status { margin: 12px 0; }
.hr-error { color: var(--hr-bad); }
`;
