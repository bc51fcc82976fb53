import { api } from './api.js';
import { el } from './dom.js';

export function showLogin(root, onLoggedIn) {
  const message = el('p', { class: 'error', role: 'alert', id: 'login-error' });
  const name = el('input', { id: 'login-name', name: 'username', autocomplete: 'username', required: true });
  const password = el('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = el('button', { type: 'submit' }, 'Log in');
  const form = el('form', { class: 'login', 'aria-labelledby': 'login-title' },
    el('h1', { id: 'login-title' }, 'OpenLoop'),
    el('label', { for: 'login-name' }, 'Username'), name,
    el('label', { for: 'login-password' }, 'Password'), password,
    button, message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    message.textContent = '';
    try {
      await api.login(name.value, password.value);
      onLoggedIn();
    } catch (error) {
      message.textContent = error.message;
      password.select();
    } finally {
      button.disabled = false;
    }
  });
  root.replaceChildren(form);
  name.focus();
}
