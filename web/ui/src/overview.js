// The overview: a chosen metric across the counties as a chart with the
// ranked table beside it, then stations and budgets of every county.
import { query } from './api.js';
import { t, nameOf } from './i18n.js';
import { quantity, share, esc, enumLabel } from './format.js';
import { comparisonChart, stationsChart } from './charts.js';
import { unitHref } from './unit.js';
import Overview from './queries/Overview.graphql';
import Compare from './queries/Compare.graphql';

/** Renders the overview into page. */
export async function overview(page, live) {
  const data = await query(Overview);
  if (!live()) return;
  // Metrics with released figures, the most widely reported first.
  const metrics = data.metrics
    .filter((m) => m.coverage.length > 0)
    .sort((a, b) => b.coverage[0].counties - a.coverage[0].counties || a.code.localeCompare(b.code));
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  // Default: the metric most counties report.
  const metric = metrics.find((m) => m.code === params.get('metric')) ?? metrics[0];

  page.innerHTML = `
    <section class="panel">
      <div class="controls">
        <label>${esc(t('metric'))}
          <select id="metric">${metrics.map((m) => `<option value="${esc(m.code)}">${esc(nameOf(m))}</option>`).join('')}</select>
        </label>
        <label>${esc(t('period'))} <select id="period"></select></label>
        <a class="button small" id="drill-down" href="#/unit">${esc(t('drillDown'))}</a>
        <span class="exports" id="exports"></span>
      </div>
      <div class="split">
        <div><div class="chart" id="compare-chart" role="img"></div><p class="note">${esc(t('qualifiedNote'))}</p></div>
        <div id="compare-table"></div>
      </div>
    </section>
    <section class="grid2">
      <div class="panel">
        <h2>${esc(t('stationsByCounty'))} <span class="exports">${exportLinks(data.tableExports.stationMatrix)}</span></h2>
        <div class="chart short" id="stations-chart"></div>
      </div>
      <div class="panel">
        <h2>${esc(t('budgets'))} <span class="exports">${exportLinks(data.tableExports.budgetTotals)}</span></h2>
        ${budgetTable(data.budgetTotals)}
      </div>
    </section>
    <section class="panel">
      <h2>${esc(t('counties'))}</h2>
      <ul class="counties">${data.counties.map((c) => `<li><a href="#/county/${esc(c.code)}">${esc(nameOf(c))}</a></li>`).join('')}</ul>
    </section>`;

  stationsChart(page.querySelector('#stations-chart'), data.stationMatrix, (s) => enumLabel('statusOf', s));
  const metricSel = page.querySelector('#metric');
  const periodSel = page.querySelector('#period');

  const show = async () => {
    const m = metrics.find((x) => x.code === metricSel.value);
    const period = periodSel.value;
    history.replaceState(null, '', `#/?metric=${encodeURIComponent(m.code)}&period=${encodeURIComponent(period)}`);
    page.querySelector('#drill-down').setAttribute('href', unitHref('', m.code, period));
    const { compare } = await query(Compare, { metric: m.code, period });
    if (!live()) return;
    const chartEl = page.querySelector('#compare-chart');
    chartEl.setAttribute('aria-label', `${nameOf(m)} ${period}`);
    chartEl.dataset.metric = m.code;
    comparisonChart(chartEl, compare);
    page.querySelector('#compare-table').innerHTML = compareTable(compare);
    page.querySelector('#exports').innerHTML = exportLinks(compare.exports);
  };
  const fillPeriods = (m, want) => {
    periodSel.innerHTML = m.coverage.map((c) => `<option>${esc(c.period)}</option>`).join('');
    if (want && m.coverage.some((c) => c.period === want)) periodSel.value = want;
  };
  if (metric) {
    metricSel.value = metric.code;
    fillPeriods(metric, params.get('period'));
    metricSel.addEventListener('change', () => {
      fillPeriods(metrics.find((x) => x.code === metricSel.value));
      show();
    });
    periodSel.addEventListener('change', show);
    await show();
  }
}

function exportLinks(e) {
  return `<a class="button small" href="${esc(e.csv)}" download>${esc(t('exportCsv'))}</a> <a class="button small" href="${esc(e.xlsx)}" download>${esc(t('exportXlsx'))}</a>`;
}

function compareTable(c) {
  const rows = [...c.rows].sort((a, b) => a.rank - b.rank);
  return `
    <table class="data" id="compare-rows">
      <thead><tr><th>${esc(t('rank'))}</th><th>${esc(t('county'))}</th><th class="num">${esc(t('value'))}</th><th>${esc(t('original'))}</th><th class="num">${esc(t('share'))}</th></tr></thead>
      <tbody>${rows.map((r) => `
        <tr data-unit="${esc(r.unit.code)}">
          <td>${r.rank}</td>
          <td><a href="#/county/${esc(r.unit.code)}">${esc(nameOf(r.unit))}</a>${r.partial ? ` <span class="tag" title="${esc(t('partialNote'))}">∑</span>` : ''}</td>
          <td class="num ${r.qualified ? 'qualified' : ''}" title="${esc(enumLabel('qualifierOf', r.value.qualifier))}">${esc(quantity(r.value))}</td>
          <td class="text">${esc(r.partial ? t('sumOf') + r.contributors.map(nameOf).join(t('sep')) : r.value.text ?? '')}</td>
          <td class="num">${esc(share(r.share))}</td>
        </tr>`).join('')}
      </tbody>
      ${c.total ? `<tfoot><tr><td></td><td>${esc(t('total'))}</td><td class="num">${esc(quantity(c.total))}</td><td></td><td></td></tr></tfoot>` : ''}
    </table>
    <p class="gaps"><strong>${esc(t('gaps'))}:</strong> ${c.gaps.length ? c.gaps.map((g) => esc(nameOf(g))).join(esc(t('sep'))) : esc(t('none'))}</p>`;
}

function budgetTable(lines) {
  if (!lines.length) return `<p class="muted">${esc(t('noData'))}</p>`;
  return `
    <table class="data">
      <thead><tr><th>${esc(t('county'))}</th><th>${esc(t('year'))}</th><th>${esc(t('purpose'))}</th><th class="num">${esc(t('amount'))}</th><th>${esc(t('original'))}</th></tr></thead>
      <tbody>${lines.map((b) => `
        <tr><td><a href="#/county/${esc(b.county.code)}">${esc(nameOf(b.county))}</a></td><td>${b.year}${b.recurring ? ` <span class="tag">${esc(t('recurring'))}</span>` : ''}</td>
        <td>${esc(b.purpose)}</td><td class="num">${esc(quantity(b.amount))}</td><td class="text">${esc(b.amount.text ?? '')}</td></tr>`).join('')}
      </tbody>
    </table>`;
}
