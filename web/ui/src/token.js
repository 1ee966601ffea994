// The token form: a token pasted here is kept in this browser and sent
// with every request; the page renders again when it changes.
import { token, setToken } from './api.js';
import { t } from './i18n.js';
import { esc } from './format.js';

/** Shows the form that keeps a token in this browser, with a reason. */
export function tokenForm(reason = '') {
  const panel = document.getElementById('token-panel');
  panel.hidden = false;
  panel.innerHTML = `
    <form class="panel token-form" id="token-form">
      ${reason ? `<p class="error">${esc(reason)}</p>` : ''}
      <p class="muted">${esc(t('tokenHelp'))}</p>
      <input type="password" id="token-input" autocomplete="off" placeholder="chub_…" value="${esc(token())}">
      <button type="submit" class="button primary">${esc(t('save'))}</button>
      <button type="button" class="button" id="token-clear">${esc(t('signOut'))}</button>
      <button type="button" class="button" id="token-cancel">${esc(t('cancel'))}</button>
    </form>`;
  const close = (value) => {
    setToken(value);
    panel.hidden = true;
    panel.innerHTML = '';
    window.dispatchEvent(new Event('countyhub:token'));
  };
  panel.querySelector('#token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    close(panel.querySelector('#token-input').value.trim());
  });
  panel.querySelector('#token-clear').addEventListener('click', () => close(''));
  panel.querySelector('#token-cancel').addEventListener('click', () => { panel.hidden = true; panel.innerHTML = ''; });
}

