// The dashboard shell: header, navigation, language switch and a hash
// router over the overview (#/), a county (#/county/CODE), the drill-down
// map of a unit's children (#/unit/CODE) and imports (#/imports).
import './style.css';
import { lang, setLang, t } from './i18n.js';
import { esc } from './format.js';
import { dispose } from './charts.js';
import { overview } from './overview.js';
import { county } from './county.js';
import { imports } from './imports.js';
import { unit } from './unit.js';
import { query, download, token } from './api.js';
import { tokenForm } from './token.js';
import Viewer from './queries/Viewer.graphql';

const routes = [
  [/^#?\/?$/, overview],
  [/^#\/county\/(\d+)$/, county],
  [/^#\/imports$/, imports],
  [/^#\/unit(?:\/(\d+))?$/, unit],
];

function shell() {
  document.documentElement.lang = lang() === 'en' ? 'en' : 'zh-CN';
  document.title = t('title');
  document.body.innerHTML = `
    <header class="top">
      <div class="brand"><span class="logo">◆</span><div><h1>${esc(t('title'))}</h1><p>${esc(t('subtitle'))}</p></div></div>
      <nav>
        <a href="#/" data-nav="overview">${esc(t('overview'))}</a>
        <a href="#/unit" data-nav="unit">${esc(t('drillDown'))}</a>
        <a href="#/imports" data-nav="imports">${esc(t('imports'))}</a>
        <a href="/graphiql">${esc(t('graphiql'))}</a>
        <button type="button" id="who" class="lang" title="${esc(t('token'))}">${esc(t('token'))}</button>
        <button type="button" id="lang" class="lang">${esc(t('language'))}</button>
      </nav>
    </header>
    <div id="token-panel" hidden></div>
    <main id="page"></main>`;
  document.getElementById('who').addEventListener('click', () => tokenForm());
  showViewer();
  document.getElementById('lang').addEventListener('click', () => {
    setLang(lang() === 'en' ? 'zh' : 'en');
    render();
  });
}

let current = 0;

async function render() {
  shell();
  const page = document.getElementById('page');
  const hash = (location.hash || '#/').split('?')[0];
  const seq = ++current;
  for (const [re, view] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    document.querySelectorAll('nav a[data-nav]').forEach((a) => a.classList.toggle('active', a.dataset.nav === view.name));
    page.innerHTML = `<p class="muted">${esc(t('loading'))}</p>`;
    try {
      await view(page, ...m.slice(1), () => seq === current);
    } catch (err) {
      if (seq !== current) return;
      page.innerHTML = `<div class="panel error" role="alert"><h2>${esc(t('error'))}</h2><p>${esc(err.message)}</p>${err.code ? `<p class="muted">${esc(err.code)}</p>` : ''}</div>`;
      if (err.code === 'UNAUTHENTICATED') tokenForm(t('needToken'));
    }
    page.dataset.ready = String(seq === current);
    return;
  }
  location.hash = '#/';
}

// showViewer puts the role of the page's token in the header.
async function showViewer() {
  const who = document.getElementById('who');
  try {
    const { viewer } = await query(Viewer);
    who.textContent = `${t('roleOf')[viewer.role] ?? viewer.role}${viewer.tokenId ? ` · ${viewer.name}` : ''}`;
    who.dataset.role = viewer.role;
  } catch {
    who.textContent = t('signIn');
    who.dataset.role = '';
  }
}

// Downloads go through fetch when the page holds a token, since a plain
// link cannot send it.
document.addEventListener('click', (ev) => {
  const a = ev.target.closest?.('a[download]');
  if (!a || !token()) return;
  ev.preventDefault();
  download(a.getAttribute('href')).catch((err) => alert(err.message));
});

window.addEventListener('countyhub:token', () => render());
window.addEventListener('hashchange', () => {
  dispose(document.body);
  render();
});
render();
