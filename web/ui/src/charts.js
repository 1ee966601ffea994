// ECharts, with only the parts the dashboard draws, rendered as SVG so the
// chart's labels are part of the page.
import * as echarts from 'echarts/core';
import { BarChart, MapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, AriaComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer, CanvasRenderer } from 'echarts/renderers';
import { quantity, amount, esc } from './format.js';
import { nameOf, t } from './i18n.js';

echarts.use([BarChart, MapChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, VisualMapComponent, SVGRenderer, CanvasRenderer]);

const palette = ['#2f6fb3', '#e0a43b', '#4f9d69', '#c0504d', '#7a68a6', '#6b8fa3'];
const hatch = { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [3, 4], rotation: -Math.PI / 4, color: 'rgba(255,255,255,0.55)' };

const charts = new WeakMap();

function chartOn(el, renderer = 'svg') {
  let c = charts.get(el);
  if (!c) {
    c = echarts.init(el, null, { renderer });
    charts.set(el, c);
    new ResizeObserver(() => c.resize()).observe(el);
  }
  return c;
}

/**
 * Draws a comparison: one bar per county in rank order, then the counties
 * without a figure. Bounds and estimates are hatched and labelled "500+",
 * "≤500", "≈500".
 */
export function comparisonChart(el, cmp) {
  const rows = [...cmp.rows].sort((a, b) => a.rank - b.rank);
  const names = [...rows.map((r) => nameOf(r.unit)), ...cmp.gaps.map((g) => nameOf(g))];
  const data = [
    ...rows.map((r) => ({
      value: r.value.value,
      label: { show: true, position: 'top', formatter: quantity(r.value), color: '#1d2b3a', fontWeight: 600 },
      itemStyle: { color: palette[0], decal: r.value.qualifier === 'EXACT' ? null : hatch },
      row: r,
    })),
    ...cmp.gaps.map(() => ({ value: 0, label: { show: true, position: 'top', formatter: t('noData'), color: '#8a96a3' }, itemStyle: { color: '#d6dde5' } })),
  ];
  const c = chartOn(el);
  c.setOption({
    aria: { enabled: true, decal: { show: false } },
    animation: false,
    grid: { left: 56, right: 16, top: 28, bottom: 64 },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const r = p.data.row;
        if (!r) return `${esc(p.name)}: ${t('noData')}`;
        const text = r.value.text ? `<br>${t('original')}: ${esc(r.value.text)}` : '';
        const part = r.partial ? `<br>${t('partialNote')}` : '';
        return `${esc(p.name)}: <b>${esc(quantity(r.value))}</b>${text}${part}`;
      },
    },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 8 ? 30 : 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => amount(v, cmp.metric.unit) } },
    series: [{ type: 'bar', name: nameOf(cmp.metric), data, barMaxWidth: 48 }],
  }, true);
  return c;
}

/** Draws stations per county, stacked by status. */
export function stationsChart(el, matrix, statusLabel) {
  const rows = matrix.filter((m) => m.stations > 0);
  const statuses = ['OPERATING', 'UPGRADING', 'PLANNED', 'CLOSED'].filter((s) => rows.some((r) => r.byStatus.some((b) => b.status === s && b.count > 0)));
  const c = chartOn(el);
  c.setOption({
    animation: false,
    color: palette,
    grid: { left: 48, right: 16, top: 36, bottom: 32 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rows.map((r) => nameOf(r.county)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: statuses.map((s) => ({
      type: 'bar',
      stack: 'status',
      name: statusLabel(s),
      barMaxWidth: 48,
      label: { show: true, formatter: (p) => (p.value ? p.value : '') },
      data: rows.map((r) => r.byStatus.find((b) => b.status === s)?.count ?? 0),
    })),
  }, true);
  return c;
}

/** Draws budget amounts by year, one bar per line. */
export function budgetChart(el, budgets) {
  const years = [...new Set(budgets.map((b) => b.year))].sort();
  const purposes = [...new Set(budgets.map((b) => b.purpose))];
  const c = chartOn(el);
  c.setOption({
    animation: false,
    color: palette,
    grid: { left: 72, right: 16, top: 36, bottom: 32 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'item', formatter: (p) => `${esc(p.seriesName)} ${p.name}: <b>${esc(p.data.label.formatter)}</b>` },
    xAxis: { type: 'category', data: years.map(String) },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => amount(v, 'CNY') } },
    series: purposes.map((p) => ({
      type: 'bar',
      name: p,
      barMaxWidth: 48,
      data: years.map((y) => {
        const b = budgets.find((x) => x.year === y && x.purpose === p);
        if (!b) return { value: null, label: { formatter: '' } };
        return {
          value: b.amount.value,
          label: { show: true, position: 'top', formatter: quantity(b.amount) },
          itemStyle: { decal: b.amount.qualifier === 'EXACT' ? null : hatch },
        };
      }),
    })),
  }, true);
  return c;
}

/** Frees the charts of elements that left the page. */
export function dispose(root) {
  root.querySelectorAll('.chart').forEach((el) => {
    const c = charts.get(el);
    if (c) {
      c.dispose();
      charts.delete(el);
    }
  });
}

/**
 * Draws a choropleth of a unit's children on the map registered as
 * mapName, whose features carry the children's codes (features without a
 * code are drawn grey and do not respond). Units without a figure are
 * grey too. onPick(code) is called when a coloured or gap unit is clicked.
 */
export function choropleth(el, mapName, geo, cmp, onPick) {
  if (!echarts.getMap(mapName)) echarts.registerMap(mapName, geo);
  const c = chartOn(el, 'canvas');
  const known = new Set(geo.features.map((f) => f.properties.code).filter(Boolean));
  const byCode = new Map(cmp.rows.map((r) => [r.unit.code, r]));
  const names = new Map([...cmp.rows.map((r) => r.unit), ...cmp.gaps].map((u) => [u.code, nameOf(u)]));
  const values = cmp.rows.map((r) => r.value.value);
  const data = [...known].map((code) => {
    const r = byCode.get(code);
    return r ? { name: code, value: r.value.value, row: r } : { name: code, value: NaN };
  });
  c.off('click');
  c.off('finished');
  // data-drawn tells when the map is drawn and its regions answer clicks.
  delete el.dataset.drawn;
  c.on('finished', () => { el.dataset.drawn = 'true'; });
  c.setOption({
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const r = byCode.get(p.name);
        return `${esc(names.get(p.name) ?? p.name)}<br>${r ? esc(quantity(r.value)) : esc(t('gaps'))}`;
      },
    },
    visualMap: {
      type: 'continuous',
      min: values.length ? Math.min(...values) : 0,
      max: values.length ? Math.max(...values) : 1,
      calculable: false,
      left: 'left',
      bottom: 0,
      inRange: { color: ['#dbe8f5', '#2f6fb3'] },
      outOfRange: { color: '#ccc' },
      formatter: (v) => amount(v, cmp.metric.unit),
    },
    series: [{
      type: 'map',
      map: mapName,
      nameProperty: 'code',
      roam: false,
      selectedMode: false,
      label: { show: true, fontSize: 10, formatter: (p) => names.get(p.name) ?? '' },
      itemStyle: { areaColor: '#ccc', borderColor: '#fff' },
      emphasis: { label: { show: true }, itemStyle: { areaColor: '#e0a43b' } },
      data,
    }],
  }, true);
  c.on('click', (p) => {
    if (p.seriesType === 'map' && known.has(p.name)) onPick(p.name);
  });
  // Where a region's centre is drawn, in pixels from the chart's corner.
  const centres = new Map(geo.features.filter((f) => f.properties.code && f.properties.cp).map((f) => [f.properties.code, f.properties.cp]));
  el.countyhubPoint = (code) => (centres.has(code) ? c.convertToPixel({ seriesIndex: 0 }, centres.get(code)) : null);
  return c;
}
