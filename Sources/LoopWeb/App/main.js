import { api, ApiError } from './api.js';
import { showInvitation } from './account.js';
import { showLogin } from './login.js';
import { showLibrary } from './library.js';
import { applyTheme } from './theme.js';

const root = document.getElementById('app');
applyTheme();

async function start() {
  const invitation = new URLSearchParams(location.hash.slice(1)).get('invitation');
  if (invitation) {
    showInvitation(root, invitation, start);
    return;
  }
  try {
    const session = await api.session();
    showLibrary(root, session, () => showLogin(root, start));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      showLogin(root, start);
    } else {
      root.replaceChildren();
      const notice = document.createElement('p');
      notice.className = 'notice error';
      notice.textContent = `The library cannot be reached: ${error.message}`;
      root.append(notice);
    }
  }
}

start();
