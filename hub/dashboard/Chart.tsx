import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

// Only what the dashboard draws (tree-shaken): bars, lines, the average line, and ARIA descriptions.
echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, AriaComponent, SVGRenderer]);

/**
 * One ECharts chart, rendered as SVG (crisp on screen and on the printed A4 report), with ECharts'
 * ARIA description on (a screen reader hears the series and their values); every chart on the
 * dashboard also has its table beside it.
 */
export function Chart({ option, label, height = 260 }: { option: EChartsCoreOption; label: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(ref.current!, undefined, { renderer: 'svg' });
    chart.setOption({ aria: { enabled: true, label: { description: label } }, animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option, label]);
  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ height }} />;
}

/** Horizontal bars of a rate per group, with the overall rate as a line. */
export function rateBars(labels: string[], values: (number | null)[], overall: number | null, flagged: boolean[], name: string): EChartsCoreOption {
  return {
    grid: { left: 120, right: 40, top: 10, bottom: 30 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
    series: [
      {
        name,
        type: 'bar',
        data: values.map((v, i) => ({ value: v === null ? null : Math.round(v * 1000) / 10, itemStyle: { color: flagged[i] ? '#c0392b' : '#2f6fbf' } })),
        markLine: overall === null ? undefined : { symbol: 'none', label: { formatter: `${Math.round(overall * 1000) / 10}%` }, data: [{ xAxis: Math.round(overall * 1000) / 10 }] },
      },
    ],
  };
}

/** A trend: the rate as a line over bars of reports shown. */
export function trend(labels: string[], shown: number[], rate: (number | null)[], names: { shown: string; rate: string }): EChartsCoreOption {
  return {
    grid: { left: 50, right: 50, top: 50, bottom: 30 },
    legend: { top: 0, data: [names.shown, names.rate] },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: labels },
    yAxis: [
      { type: 'value', name: names.shown },
      { type: 'value', name: names.rate, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { name: names.shown, type: 'bar', data: shown, itemStyle: { color: '#9db8db' } },
      { name: names.rate, type: 'line', yAxisIndex: 1, data: rate.map((v) => (v === null ? null : Math.round(v * 1000) / 10)), itemStyle: { color: '#1d4f91' } },
    ],
  };
}
