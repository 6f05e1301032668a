/** Trend dialog styles, rendered with the dialog so both shells (sidebar, widget shadow root) get them. */
export const trendCss = `
.hr-trend-backdrop { position: fixed; inset: 0; background: rgba(31,35,40,.45); display: flex; align-items: flex-start; justify-content: center; padding: 12px; z-index: 10; overflow: auto; }
.hr-trend { background: #fff; border-radius: 8px; width: min(640px, 100%); padding: 10px 12px 12px; box-shadow: 0 8px 24px rgba(0,0,0,.2); }
.hr-trend-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.hr-trend-head h2 { font-size: 15px; margin: 0; }
.hr-trend-figure { margin: 8px 0; }
.hr-trend-svg { width: 100%; height: auto; display: block; }
.hr-trend-legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; color: #1f2328; margin-top: 4px; }
.hr-legend-item { display: inline-flex; align-items: center; gap: 4px; }
.hr-trend-table { border-collapse: collapse; width: 100%; font-size: 12px; font-variant-numeric: tabular-nums; }
.hr-trend-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
.hr-trend-table th, .hr-trend-table td { border-bottom: 1px solid #eaeef2; padding: 2px 6px; text-align: left; }
.hr-trend-table td.hr-num { text-align: right; }
.hr-trend-table td:first-child, .hr-trend-table td.hr-num { white-space: nowrap; }
.hr-trend-table tr.hr-outside td { color: #b42318; font-weight: 600; }
.hr-trend-note { font-size: 12px; color: #57606a; margin: 4px 0; }
.hr-trend select { font: inherit; }
.hr-trend-scroll { max-height: 220px; overflow: auto; }
`;
