// 登录: POST /api/session, then back to the page that sent here (a path of this site only).

import { $, api } from '/assets/common.js';

/**
 * Where to go after logging in: `next` when it is a page of this site, else the start page. Resolved as the browser
 * will (it drops tabs and line breaks, reads \\ as /), so "/\t/evil.example" cannot lead off the site.
 */
function next() {
  const target = new URLSearchParams(location.search).get('next') || '/';
  const url = new URL(target, location.origin);
  return url.origin === location.origin ? url.pathname + url.search + url.hash : '/';
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  $('password-error').textContent = '';
  const login = $('login').value.trim();
  const password = $('password').value;
  if (!login) return void ($('login-error').textContent = '请填写用户名');
  if (!password) return void ($('password-error').textContent = '请填写口令');
  try {
    await api('POST', '/api/session', { login, password });
    location.assign(next());
  } catch (failure) {
    const field = failure.body.field === 'login' ? 'login-error' : 'password-error';
    $(field).textContent = failure.message;
  }
});
