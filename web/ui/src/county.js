// A county page: its stations with their facility matrix, shared spaces,
// pilots, budgets by year and reported figures.
import { query } from './api.js';
import { t, nameOf } from './i18n.js';
import { quantity, share, esc, enumLabel } from './format.js';
import { budgetChart } from './charts.js';
import County from './queries/County.graphql';
import CountyFigures from './queries/CountyFigures.graphql';

/** Renders the page of the county with the given code into page. */
export async function county(page, code, live) {
  const [{ unit, stationMatrix }, lower] = await Promise.all([query(County, { code }), query(CountyFigures, { code })]);
  if (!live()) return;
  if (!unit) {
    page.innerHTML = `<div class="panel error" role="alert"><p>${esc(code)}: ${esc(t('noData'))}</p></div>`;
    return;
  }
  const matrix = stationMatrix.find((m) => m.county.code === code);
  const lowerFigures = [];
  const walk = (u) => {
    for (const c of u.children ?? []) {
      for (const o of c.observations) lowerFigures.push({ ...o, where: c });
      walk(c);
    }
  };
  walk(lower.unit ?? {});

  page.innerHTML = `
    <p><a href="#/">← ${esc(t('back'))}</a></p>
    <h2 class="county-title" id="county-name">${esc(nameOf(unit))} <span class="muted">${esc(unit.code)}</span></h2>
    <section class="cards">
      ${card(t('stations'), unit.stations.length, matrix ? `${t('meetStandard')} ${matrix.meetStandard ?? ''}` : '')}
      ${card(t('spaces'), unit.spaces.length)}
      ${card(t('pilots'), unit.pilots.length)}
      ${card(t('figures'), unit.observations.length + lowerFigures.length)}
    </section>
    <section class="panel" id="stations">
      <h2>${esc(t('stations'))} · ${esc(t('facilityMatrix'))}</h2>
      ${stationTable(unit.stations, matrix)}
    </section>
    <section class="grid2">
      <div class="panel" id="spaces"><h2>${esc(t('spaces'))}</h2>${spaceTable(unit.spaces)}</div>
      <div class="panel" id="pilots"><h2>${esc(t('pilots'))}</h2>${pilotTable(unit.pilots)}</div>
    </section>
    <section class="panel" id="budgets">
      <h2>${esc(t('budgetsByYear'))}</h2>
      ${unit.budgets.length ? '<div class="chart short" id="budget-chart"></div>' : ''}
      ${budgetTable(unit.budgets)}
    </section>
    <section class="panel" id="figures">
      <h2>${esc(t('figures'))}</h2>
      ${figureTable(unit.observations.map((o) => ({ ...o, where: unit })))}
      ${lowerFigures.length ? `<h3>${esc(t('lowerFigures'))}</h3>${figureTable(lowerFigures)}` : ''}
    </section>`;
  if (unit.budgets.length) budgetChart(page.querySelector('#budget-chart'), unit.budgets);
}

function card(label, n, extra = '') {
  return `<div class="card"><div class="n">${n}</div><div>${esc(label)}</div>${extra ? `<div class="muted">${esc(extra)}</div>` : ''}</div>`;
}

function empty(rows) {
  return rows.length ? '' : `<p class="muted">${esc(t('noData'))}</p>`;
}

function stationTable(stations, matrix) {
  if (!stations.length) return empty(stations);
  // Columns: every facility any station of the county offers, in the
  // order of the county's matrix.
  const cols = matrix?.facilities?.length ? matrix.facilities : [];
  return `
    <div class="scroll"><table class="data matrix">
      <thead><tr><th>${esc(t('name'))}</th><th>${esc(t('unit'))}</th><th>${esc(t('status'))}</th><th>${esc(t('meetStandard'))}</th>
        ${cols.map((f) => `<th class="fac" title="${esc(f.code)}">${esc(f.name)}<div class="muted">${f.stations}</div></th>`).join('')}</tr></thead>
      <tbody>${stations.map((s) => `
        <tr><td>${esc(s.name)}</td><td>${esc(nameOf(s.unit))}</td><td><span class="status ${esc(s.status)}">${esc(enumLabel('statusOf', s.status))}</span></td>
        <td>${s.meetsStandard == null ? '' : s.meetsStandard ? '✓' : '✗'}</td>
        ${cols.map((f) => `<td class="fac">${s.facilities.some((x) => x.code === f.code) ? '●' : ''}</td>`).join('')}</tr>`).join('')}
      </tbody>
    </table></div>`;
}

function spaceTable(spaces) {
  if (!spaces.length) return empty(spaces);
  return `<table class="data"><thead><tr><th>${esc(t('name'))}</th><th>${esc(t('kind'))}</th><th>${esc(t('unit'))}</th><th>${esc(t('brand'))}</th></tr></thead>
    <tbody>${spaces.map((s) => `<tr><td>${esc(s.name)}</td><td>${esc(enumLabel('kindOf', s.kind))}</td><td>${esc(nameOf(s.unit))}</td><td>${esc(s.brand ?? '')}</td></tr>`).join('')}</tbody></table>`;
}

function pilotTable(pilots) {
  if (!pilots.length) return empty(pilots);
  return `<table class="data"><thead><tr><th>${esc(t('name'))}</th><th>${esc(t('operator'))}</th><th>${esc(t('phase'))}</th><th class="num">${esc(t('households'))}</th><th class="num">${esc(t('paying'))}</th><th class="num">${esc(t('conversion'))}</th></tr></thead>
    <tbody>${pilots.map((p) => `<tr><td>${esc(p.name)}</td><td>${esc(p.operator)}</td><td>${esc(enumLabel('phaseOf', p.phase))}</td>
      <td class="num">${p.households ?? ''}</td><td class="num">${p.payingHouseholds ?? ''}</td><td class="num">${esc(share(p.conversion))}</td></tr>`).join('')}</tbody></table>`;
}

function budgetTable(budgets) {
  if (!budgets.length) return empty(budgets);
  const sorted = [...budgets].sort((a, b) => b.year - a.year || a.purpose.localeCompare(b.purpose));
  return `<table class="data"><thead><tr><th>${esc(t('year'))}</th><th>${esc(t('purpose'))}</th><th>${esc(t('fundSource'))}</th><th>${esc(t('status'))}</th><th class="num">${esc(t('amount'))}</th><th>${esc(t('original'))}</th></tr></thead>
    <tbody>${sorted.map((b) => `<tr><td>${b.year}${b.recurring ? ` <span class="tag">${esc(t('recurring'))}</span>` : ''}</td><td>${esc(b.purpose)}</td><td>${esc(b.source ?? '')}</td>
      <td>${esc(enumLabel('budgetStatusOf', b.status))}</td><td class="num">${esc(quantity(b.amount))}</td><td class="text">${esc(b.amount.text ?? '')}</td></tr>`).join('')}</tbody></table>`;
}

function figureTable(obs) {
  if (!obs.length) return empty(obs);
  const sorted = [...obs].sort((a, b) => a.metric.code.localeCompare(b.metric.code));
  return `<table class="data"><thead><tr><th>${esc(t('metric'))}</th><th>${esc(t('unit'))}</th><th>${esc(t('period'))}</th><th class="num">${esc(t('value'))}</th><th>${esc(t('original'))}</th></tr></thead>
    <tbody>${sorted.map((o) => `<tr><td><a href="#/?metric=${esc(o.metric.code)}&period=${esc(o.period)}">${esc(nameOf(o.metric))}</a></td><td>${esc(nameOf(o.where))}</td><td>${esc(o.period)}</td>
      <td class="num ${o.value.qualifier === 'EXACT' ? '' : 'qualified'}">${esc(quantity(o.value))}</td><td class="text">${esc(o.value.text ?? '')}</td></tr>`).join('')}</tbody></table>`;
}
