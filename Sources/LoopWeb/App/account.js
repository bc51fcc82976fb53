import { api } from './api.js';
import { el } from './dom.js';

/// The account panel: your own API tokens, and for admins the accounts and invitations.
export function accountPanel(session) {
  const dialog = el('dialog', { class: 'account-panel', 'aria-labelledby': 'account-title' });
  const tokenLabel = el('input', { id: 'token-label', placeholder: 'laptop', maxlength: 100 });
  const tokenShown = el('output', { class: 'secret', 'aria-live': 'polite', id: 'token-shown' });
  const tokenButton = el('button', { type: 'button', onclick: async () => {
    tokenButton.disabled = true;
    try {
      const grant = await api.createToken(tokenLabel.value.trim() || undefined);
      tokenShown.value = grant.token;
    } catch (error) {
      tokenShown.value = error.message;
    } finally {
      tokenButton.disabled = false;
    }
  } }, 'Create token');
  const parts = [
    el('h2', { id: 'account-title' }, `${session.account.name} (${session.account.role})`),
    el('section', { 'aria-label': 'API tokens' },
      el('h3', {}, 'API tokens'),
      el('p', {}, 'For scripts and loopctl --server. A token is shown once; keep it like a password.'),
      el('label', { for: 'token-label' }, 'Label '), tokenLabel, ' ', tokenButton, el('p', {}, tokenShown)),
  ];
  if (session.account.role === 'admin') {
    const table = el('table', { class: 'accounts', 'aria-label': 'Accounts' });
    const name = el('input', { id: 'invite-name', required: true, autocomplete: 'off' });
    const role = el('select', { id: 'invite-role' }, ['reader', 'writer', 'admin'].map((value) => el('option', { value }, value)));
    const link = el('input', { id: 'invite-link', readonly: true, size: 48, 'aria-label': 'Invitation link' });
    const message = el('p', { class: 'error', role: 'alert' });
    const accountsMessage = el('p', { class: 'status', role: 'status' });
    async function change(action, said) {
      accountsMessage.textContent = '';
      try {
        await action();
        await refresh();
        accountsMessage.textContent = said;
      } catch (error) {
        accountsMessage.textContent = error.message;
      }
    }
    // Another account's role is changed where it is shown; your own is left to another admin.
    function row(account) {
      if (account.name.toLowerCase() === session.account.name.toLowerCase()) {
        return el('tr', {}, el('td', {}, account.name), el('td', {}, `${account.role} (you)`), el('td', {}));
      }
      const roles = el('select', { 'aria-label': `Role of ${account.name}`, class: 'role' },
        ['reader', 'writer', 'admin'].map((value) => el('option', { value, selected: value === account.role }, value)));
      roles.addEventListener('change', () => change(() => api.setRole(account.name, roles.value), `${account.name} is a ${roles.value} now.`));
      const remove = el('button', { type: 'button', class: 'remove-account', 'aria-label': `Remove ${account.name}`, onclick: () => {
        if (!window.confirm(`Remove the account ${account.name}? Its tokens and sessions end at once.`)) return;
        change(() => api.removeAccount(account.name), `${account.name} was removed.`);
      } }, 'Remove');
      return el('tr', { 'data-account': account.name }, el('td', {}, account.name), el('td', {}, roles), el('td', {}, remove));
    }
    async function refresh() {
      const accounts = await api.accounts();
      table.replaceChildren(el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Role'), el('th', {}, '')), ...accounts.results.map(row));
    }
    const form = el('form', { class: 'invite' },
      el('label', { for: 'invite-name' }, 'Name '), name, ' ',
      el('label', { for: 'invite-role' }, 'Role '), role, ' ',
      el('button', { type: 'submit' }, 'Invite'), el('p', {}, link), message);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      message.textContent = '';
      try {
        const invitation = await api.invite(name.value.trim(), role.value);
        link.value = invitation.url;
        link.select();
        await refresh();
      } catch (error) {
        message.textContent = error.message;
      }
    });
    parts.push(el('section', { 'aria-label': 'Accounts and invitations' }, el('h3', {}, 'Accounts'), table, accountsMessage,
      el('h3', {}, 'Invite someone'), el('p', {}, 'The link lets them choose a password, once, within a week.'), form));
    dialog.addEventListener('opened', () => refresh().catch(() => {}));
  }
  parts.push(el('form', { method: 'dialog' }, el('button', { type: 'submit' }, 'Close')));
  dialog.append(...parts);
  return dialog;
}

/// The page an invitation link opens: choose a password, and you are logged in.
export function showInvitation(root, token, onAccepted) {
  const password = el('input', { id: 'invite-password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const again = el('input', { id: 'invite-again', type: 'password', autocomplete: 'new-password', required: true });
  const message = el('p', { class: 'error', role: 'alert' });
  const form = el('form', { class: 'login', 'aria-labelledby': 'invite-title' },
    el('h1', { id: 'invite-title' }, 'Welcome to OpenLoop'),
    el('p', {}, 'Choose a password for your account.'),
    el('label', { for: 'invite-password' }, 'Password'), password,
    el('label', { for: 'invite-again' }, 'Password again'), again,
    el('button', { type: 'submit' }, 'Set password and log in'), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (password.value !== again.value) { message.textContent = 'The two passwords differ.'; return; }
    try {
      await api.acceptInvitation(token, password.value);
      history.replaceState(null, '', location.pathname);
      onAccepted();
    } catch (error) {
      message.textContent = error.message;
    }
  });
  root.replaceChildren(form);
  password.focus();
}
