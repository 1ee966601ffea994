// Imports: a county officer uploads a file, reads the diagnostics and the
// difference from the published data, then publishes or discards the run.
import { query, mutate, upload } from './api.js';
import { t, nameOf, lang } from './i18n.js';
import { esc, enumLabel, number } from './format.js';
import { tokenForm } from './token.js';
import Imports from './queries/Imports.graphql';
import RecentRuns from './queries/RecentRuns.graphql';
import ImportFile from './queries/ImportFile.graphql';
import ImportRun from './queries/ImportRun.graphql';
import PublishImport from './queries/PublishImport.graphql';
import DiscardImport from './queries/DiscardImport.graphql';

/** Renders the imports page into page. */
export async function imports(page, live) {
  const data = await query(Imports);
  if (!live()) return;
  const { role } = data.viewer;
  const canImport = role === 'ADMIN' || role === 'COUNTY_EDITOR';
  const runs = role === 'ANONYMOUS' ? null : (await query(RecentRuns)).importRuns.edges.map((e) => e.node);
  if (!live()) return;
  // A county editor uploads for its own counties only.
  const own = new Set(data.viewer.counties.map((c) => c.code));
  const counties = role === 'COUNTY_EDITOR' ? data.counties.filter((c) => own.has(c.code)) : data.counties;
  const importers = data.importers.filter((i) => i.status === 'OK');
  if (!canImport) {
    page.innerHTML = `
      <section class="panel">
        <h2>${esc(t('uploadTitle'))}</h2>
        <p>${esc(t('needEditor'))}</p>
        <button type="button" class="button primary" id="sign-in">${esc(t('signIn'))}</button>
      </section>
      ${runs ? `<section class="panel"><h2>${esc(t('recentRuns'))}</h2>${runTable(runs)}</section>` : ''}`;
    page.querySelector('#sign-in').addEventListener('click', () => tokenForm(t('needEditor')));
    return;
  }
  page.innerHTML = `
    <section class="panel">
      <h2>${esc(t('uploadTitle'))}</h2>
      <p class="muted">${esc(t('uploadHelp'))}</p>
      <form id="upload" class="controls">
        <label>${esc(t('county'))}
          <select name="county" id="county">${counties.map((c) => `<option value="${esc(c.code)}" data-en="${esc(c.nameEn)}">${esc(nameOf(c))}</option>`).join('')}</select>
        </label>
        <label>${esc(t('importer'))}
          <select name="importer" id="importer">${importers.map((i) => `<option value="${esc(i.name)}" title="${esc(i.description ?? '')}">${esc(i.name)} (${esc(i.formats.join(', '))})</option>`).join('')}</select>
        </label>
        <label>${esc(t('file'))} <input type="file" name="file" id="file" required></label>
        <label class="check"><input type="checkbox" id="dry-run"> ${esc(t('dryRun'))}</label>
        <button type="submit" class="button primary" id="submit">${esc(t('upload'))}</button>
        <div id="options" class="options"></div>
      </form>
    </section>
    <section id="run"></section>
    <section class="panel" id="recent-runs">
      <h2>${esc(t('recentRuns'))}</h2>
      ${runTable(runs)}
    </section>`;
  // The list of runs follows every run this page starts or ends.
  const refreshRuns = async () => {
    const fresh = (await query(RecentRuns)).importRuns.edges.map((e) => e.node);
    if (live()) page.querySelector('#recent-runs').innerHTML = `<h2>${esc(t('recentRuns'))}</h2>${runTable(fresh)}`;
  };
  page.addEventListener('countyhub:run', () => refreshRuns().catch(() => {}));

  const countySel = page.querySelector('#county');
  const importerSel = page.querySelector('#importer');
  // Suggest the county's own importer: importers are named for their county.
  const suggest = () => {
    const en = countySel.selectedOptions[0]?.dataset.en?.toLowerCase() ?? '';
    const own = importers.find((i) => en.startsWith(i.name));
    if (own) importerSel.value = own.name;
  };
  const optionsEl = page.querySelector('#options');
  // One input per option of the chosen importer; a mapping is YAML text.
  const showOptions = () => {
    const imp = importers.find((i) => i.name === importerSel.value);
    optionsEl.innerHTML = (imp?.options ?? []).map((o) => `
      <label title="${esc(o.description ?? '')}">${esc(o.name)}${o.required ? ' *' : ''}
        ${o.name === 'mapping'
          ? `<textarea name="opt:${esc(o.name)}" rows="4" placeholder="${esc(o.description ?? '')}" ${o.required ? 'required' : ''}></textarea>`
          : `<input name="opt:${esc(o.name)}" placeholder="${esc(o.default ?? o.description ?? '')}" ${o.required ? 'required' : ''}>`}
      </label>`).join('');
  };
  countySel.addEventListener('change', () => { suggest(); showOptions(); });
  importerSel.addEventListener('change', showOptions);
  suggest();
  showOptions();

  page.querySelector('#upload').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const file = page.querySelector('#file').files[0];
    if (!file) return;
    const button = page.querySelector('#submit');
    const out = page.querySelector('#run');
    button.disabled = true;
    out.innerHTML = `<div class="panel"><p class="muted">${esc(t('uploading'))}</p></div>`;
    try {
      const options = [...optionsEl.querySelectorAll('[name^="opt:"]')]
        .filter((el) => el.value.trim() !== '')
        .map((el) => ({ name: el.name.slice(4), value: el.value }));
      const dryRun = page.querySelector('#dry-run').checked;
      const variables = { county: countySel.value, importer: importerSel.value, dryRun, options };
      const { importFile } = await upload(ImportFile, variables, 'file', file);
      await follow(out, importFile.id, live);
    } catch (err) {
      out.innerHTML = `<div class="panel error" role="alert"><h2>${esc(t('failed'))}</h2><p>${esc(err.message)}</p></div>`;
    } finally {
      button.disabled = false;
    }
  });
}

// follow polls a run until it leaves RUNNING, then shows it.
async function follow(out, id, live) {
  for (let wait = 200; ; wait = Math.min(wait * 1.5, 2000)) {
    const { importRun } = await query(ImportRun, { id });
    if (!live()) return;
    if (importRun.status !== 'RUNNING') {
      showRun(out, importRun, live);
      return;
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

function showRun(out, run, live) {
  out.dispatchEvent(new Event('countyhub:run', { bubbles: true }));
  const message = {
    PUBLISHED: t('published'),
    DISCARDED: run.dryRun ? t('dryRunDone') : t('discarded'),
    UNCHANGED: t('unchanged'),
    FAILED: `${t('failed')}: ${run.reason ?? ''}`,
  }[run.status];
  const diags = run.diagnostics.edges.map((e) => e.node);
  out.innerHTML = `
    <div class="panel" id="run-panel" data-status="${esc(run.status)}">
      <h2>${esc(t('run'))} <code>${esc(run.id)}</code> <span class="status run ${esc(run.status)}" id="run-status">${esc(enumLabel('runStatusOf', run.status))}</span></h2>
      <p>${esc(nameOf(run.county))} · ${esc(run.importer)} ${esc(run.importerVersion)} · ${esc(run.fileName)} · ${esc(t('records'))} ${number(run.read)}</p>
      ${run.counts.length ? `<p class="muted">${run.counts.map((c) => `${esc(c.dataset)} ${c.count}`).join(' · ')}</p>` : ''}
      ${message ? `<p class="message ${esc(run.status)}" role="status" id="run-message">${esc(message)} ${run.status === 'PUBLISHED' ? `<a href="#/">${esc(t('viewOverview'))}</a>` : ''}</p>` : ''}
      ${run.status === 'READY' ? `<p class="actions"><button class="button primary" id="publish">${esc(t('publish'))}</button> <button class="button" id="discard">${esc(t('discard'))}</button></p>` : ''}
      <h3>${esc(t('diagnostics'))} (${run.diagnostics.totalCount})</h3>
      ${diags.length ? diagTable(diags) : `<p class="muted">${esc(t('noDiagnostics'))}</p>`}
      ${run.diff ? diffView(run.diff) : ''}
    </div>`;
  const act = async (mutation, field) => {
    out.querySelectorAll('.actions button').forEach((b) => { b.disabled = true; });
    try {
      const data = await mutate(mutation, { id: run.id });
      await follow(out, data[field].id, live);
    } catch (err) {
      out.querySelector('.actions').insertAdjacentHTML('afterend', `<p class="error" role="alert">${esc(err.message)}</p>`);
    }
  };
  out.querySelector('#publish')?.addEventListener('click', () => act(PublishImport, 'publishImport'));
  out.querySelector('#discard')?.addEventListener('click', () => act(DiscardImport, 'discardImport'));
}

function diagTable(diags) {
  return `<table class="data" id="diagnostics"><thead><tr><th>${esc(t('severity'))}</th><th>${esc(t('reference'))}</th><th>${esc(t('field'))}</th><th>${esc(t('message'))}</th></tr></thead>
    <tbody>${diags.map((d) => `<tr class="sev ${esc(d.severity)}"><td>${esc(enumLabel('severityOf', d.severity))}</td><td><code>${esc(d.reference)}</code></td><td>${esc(d.field ?? '')}</td><td>${esc(d.message)}</td></tr>`).join('')}</tbody></table>`;
}

function diffView(d) {
  const list = (label, count, entries, cls, fields) => `
    <div class="diff ${cls}" id="diff-${cls}">
      <h4>${esc(label)} <span class="count">${count}</span></h4>
      ${entries.length ? `<ul>${entries.map((e) => `<li><code>${esc(e.dataset)}</code> ${esc(e.key)}${fields && e.fields?.length ? ` <span class="muted">(${esc(e.fields.join(', '))})</span>` : ''}${e.reference ? ` <span class="muted">${esc(e.reference)}</span>` : ''}</li>`).join('')}</ul>` : ''}
    </div>`;
  return `
    <h3>${esc(t('diff'))}${d.truncated ? ` <span class="muted">(${esc(t('truncated'))})</span>` : ''}</h3>
    <div class="diffs">
      ${list(t('added'), d.addedCount, d.added, 'added')}
      ${list(t('changed'), d.changedCount, d.changed, 'changed', true)}
      ${list(t('removed'), d.removedCount, d.removed, 'removed')}
    </div>`;
}

function runTable(runs) {
  if (!runs.length) return `<p class="muted">${esc(t('noData'))}</p>`;
  return `<table class="data" id="runs"><thead><tr><th>${esc(t('when'))}</th><th>${esc(t('county'))}</th><th>${esc(t('importer'))}</th><th>${esc(t('file'))}</th><th>${esc(t('status'))}</th><th class="num">${esc(t('records'))}</th></tr></thead>
    <tbody>${runs.map((r) => `<tr><td>${esc(new Date(r.createdAt).toLocaleString(lang() === 'en' ? 'en-GB' : 'zh-CN'))}</td><td>${esc(nameOf(r.county))}</td><td>${esc(r.importer)}</td><td>${esc(r.fileName)}</td>
      <td><span class="status run ${esc(r.status)}">${esc(enumLabel('runStatusOf', r.status))}</span>${r.dryRun ? ` <span class="tag">${esc(t('dryRunTag'))}</span>` : ''}</td><td class="num">${number(r.read)}</td></tr>`).join('')}</tbody></table>`;
}
