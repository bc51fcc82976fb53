// Dark by default; the choice is kept in this browser.
const key = 'openloop.theme';

export function applyTheme() {
  document.documentElement.dataset.theme = localStorage.getItem(key) ?? 'dark';
}

export function toggleTheme() {
  const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
  localStorage.setItem(key, next);
  document.documentElement.dataset.theme = next;
  return next;
}
