// The drill-down view (#/unit/CODE?metric=M&period=P): a breadcrumb from
// the hub's scope down to the unit, a choropleth of its children and the
// ranked table beside it, both from one comparison. Clicking a region or a
// row shows that child; units without map data (towns) get the table only.
import { query } from './api.js';
import { t, nameOf } from './i18n.js';
import { quantity, esc, enumLabel } from './format.js';
import { choropleth } from './charts.js';
import Scope from './queries/Scope.graphql';
import UnitView from './queries/UnitView.graphql';
import UnitCompare from './queries/UnitCompare.graphql';

let mapIndex;

// mapData fetches the GeoJSON of code's children, or null when there is none.
async function mapData(code) {
  mapIndex ??= fetch('/assets/maps/index.json').then((r) => (r.ok ? r.json() : [])).catch(() => []);
  if (!(await mapIndex).includes(code)) return null;
  const res = await fetch(`/assets/maps/${code}.json`);
  return res.ok ? res.json() : null;
}

/** The address of the drill-down view of code with a metric and period. */
export function unitHref(code, metric, period) {
  const q = new URLSearchParams();
  if (metric) q.set('metric', metric);
  if (period) q.set('period', period);
  const s = q.toString();
  return `#/unit${code ? `/${encodeURIComponent(code)}` : ''}${s ? `?${s}` : ''}`;
}

/** Renders the drill-down view of code (the hub's scope when empty) into page. */
export async function unit(page, code, live) {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  if (!code) code = (await query(Scope)).scope.code;
  const data = await query(UnitView, { code });
  if (!live()) return;
  const { scope, unit: u } = data;
  if (!u) throw new Error(`${t('noUnit')} ${code}`);
  const metrics = data.metrics
    .filter((m) => m.coverage.length > 0)
    .sort((a, b) => b.coverage[0].counties - a.coverage[0].counties || a.code.localeCompare(b.code));
  const metric = metrics.find((m) => m.code === params.get('metric')) ?? metrics[0];

  // The chain of parents, cut at the scope.
  const chain = [];
  for (let p = u; p; p = p.parent) {
    chain.unshift(p);
    if (p.code === scope.code) break;
  }
  page.innerHTML = `
    <nav class="breadcrumb" id="breadcrumb" aria-label="${esc(t('breadcrumb'))}">${chain.map((p, i) => (i === chain.length - 1
    ? `<span aria-current="page" data-unit="${esc(p.code)}">${esc(nameOf(p))}</span>`
    : `<a href="#" data-unit="${esc(p.code)}">${esc(nameOf(p))}</a>`)).join(' <span class="sep">›</span> ')}</nav>
    <section class="panel">
      <h2 id="unit-title">${esc(nameOf(u))}</h2>
      <div class="controls">
        <label>${esc(t('metric'))}
          <select id="metric">${metrics.map((m) => `<option value="${esc(m.code)}">${esc(nameOf(m))}</option>`).join('')}</select>
        </label>
        <label>${esc(t('period'))} <select id="period"></select></label>
      </div>
      <div class="split">
        <div id="unit-map-box"><div class="chart" id="unit-map" role="img"></div><p class="note" id="map-note"></p></div>
        <div id="unit-table"></div>
      </div>
    </section>`;
  const metricSel = page.querySelector('#metric');
  const periodSel = page.querySelector('#period');
  const href = (c) => unitHref(c, metricSel.value, periodSel.value);
  page.querySelectorAll('#breadcrumb a[data-unit]').forEach((a) => {
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      location.hash = href(a.dataset.unit);
    });
  });
  const geo = u.children.length ? await mapData(u.code) : null;
  if (!live()) return;
  const mapEl = page.querySelector('#unit-map');
  if (!geo) {
    mapEl.remove();
    page.querySelector('#map-note').textContent = u.children.length ? t('noMap') : t('noChildren');
  }

  const show = async () => {
    const m = metrics.find((x) => x.code === metricSel.value);
    if (!m) return;
    const period = periodSel.value;
    history.replaceState(null, '', href(u.code));
    const { compare } = await query(UnitCompare, { metric: m.code, period, scope: u.code });
    if (!live()) return;
    page.querySelector('#unit-table').innerHTML = table(compare, href);
    page.querySelectorAll('#unit-rows tbody tr[data-unit]').forEach((tr) => {
      tr.addEventListener('click', (ev) => {
        if (ev.target.closest('a')) return;
        location.hash = href(tr.dataset.unit);
      });
    });
    if (geo) {
      mapEl.setAttribute('aria-label', `${nameOf(u)} ${nameOf(m)} ${period}`);
      mapEl.dataset.metric = m.code;
      mapEl.dataset.period = period;
      choropleth(mapEl, `countyhub-${u.code}`, geo, compare, (c) => { location.hash = href(c); });
      page.querySelector('#map-note').textContent = t('mapNote');
    }
  };
  const fillPeriods = (m, want) => {
    periodSel.innerHTML = m.coverage.map((c) => `<option>${esc(c.period)}</option>`).join('');
    if (want && m.coverage.some((c) => c.period === want)) periodSel.value = want;
  };
  if (!metric) {
    page.querySelector('#unit-table').innerHTML = `<p class="muted">${esc(t('noData'))}</p>`;
    return;
  }
  metricSel.value = metric.code;
  fillPeriods(metric, params.get('period'));
  metricSel.addEventListener('change', () => {
    fillPeriods(metrics.find((x) => x.code === metricSel.value));
    show();
  });
  periodSel.addEventListener('change', show);
  await show();
}

function table(c, href) {
  const rows = [...c.rows].sort((a, b) => a.rank - b.rank);
  return `
    <table class="data clickable" id="unit-rows">
      <thead><tr><th>${esc(t('rank'))}</th><th>${esc(t('name'))}</th><th class="num">${esc(t('value'))}</th></tr></thead>
      <tbody>${rows.map((r) => `
        <tr data-unit="${esc(r.unit.code)}">
          <td>${r.rank}</td>
          <td><a href="${esc(href(r.unit.code))}">${esc(nameOf(r.unit))}</a>${r.partial ? ` <span class="tag" title="${esc(t('partialNote'))}">∑</span>` : ''}</td>
          <td class="num ${r.qualified ? 'qualified' : ''}" data-qualifier="${esc(r.value.qualifier)}" title="${esc(enumLabel('qualifierOf', r.value.qualifier))}">${esc(quantity(r.value))}</td>
        </tr>`).join('')}${c.gaps.map((g) => `
        <tr data-unit="${esc(g.code)}" class="gap">
          <td></td>
          <td><a href="${esc(href(g.code))}">${esc(nameOf(g))}</a></td>
          <td class="num muted">${esc(t('gap'))}</td>
        </tr>`).join('')}
      </tbody>
    </table>`;
}
