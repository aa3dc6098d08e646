// Shared by the pages: navigation, API calls, elements built with textContent (never HTML from data), suggestions.

/** Marks the current page in the menu. */
/** The page element with this id. */
export const $ = (id) => document.getElementById(id);

export function markNav() {
  const here = location.pathname.startsWith('/batches') ? '/batches' : location.pathname;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('href') === here) a.setAttribute('aria-current', 'page');
  }
}

/** An error answered by the API: {code, message, field?, suggestions?}. */
export class ApiFailure extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `请求失败（${status}）`);
    this.status = status;
    this.body = body || {};
  }
}

/** To the login page (coming back here after it), unless already there. */
function toLogin() {
  if (location.pathname !== '/login') location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

let current;
/**
 * The session: {accounts: false} when the server has no accounts, else {accounts: true, user, csrfToken}. Without
 * a valid session (401) the page goes to the login page.
 */
export function session() {
  current ??= fetch('/api/session').then(async (response) => {
    if (response.status === 401) {
      toLogin();
      return new Promise(() => undefined); // the page is being left
    }
    return (await response.json().catch(() => undefined)) ?? { accounts: false };
  });
  return current;
}

/** The logged-in user and 退出 in the menu. */
async function showUser() {
  const s = await session();
  if (!s.accounts) return;
  const nav = document.querySelector('nav');
  const scope = s.user.allCounties ? '全市' : s.user.counties.map((c) => c.name).join('、');
  const logout = el('button', '退出', { type: 'button', class: 'logout' });
  logout.addEventListener('click', async () => {
    await api('DELETE', '/api/session').catch(() => undefined);
    location.assign('/login');
  });
  nav.append(el('span', `${s.user.login}（${s.user.role}，${scope}）`, { class: 'user' }), logout);
}

/** Calls the API; JSON in and out; state changes carry the session's CSRF token. */
export async function api(method, url, body) {
  const init = { method, headers: {} };
  const login = method === 'POST' && url === '/api/session';
  if (method !== 'GET' && !login) {
    const s = await session();
    if (s.csrfToken) init.headers['x-csrf-token'] = s.csrfToken;
  }
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiFailure(0, { code: 'E_NETWORK', message: '无法连接本机服务，请确认 hazard-notice serve 仍在运行' });
  }
  const data = await response.json().catch(() => undefined);
  if (response.status === 401 && !login) toLogin();
  if (!response.ok) throw new ApiFailure(response.status, data);
  return data;
}

/** An element with text content (escaped by the DOM) and attributes. */
export function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** Fills a select with the configured counties the user works for (all without accounts; first option kept). */
export async function loadCounties(select) {
  const s = await session();
  const mine = s.accounts && !s.user.allCounties ? new Set(s.user.counties.map((c) => c.code)) : undefined;
  const counties = (await api('GET', '/api/counties')).filter((c) => !mine || mine.has(c.code));
  for (const c of counties) select.append(el('option', c.name, { value: c.code }));
  return counties;
}

/** Today in China Standard Time, YYYY-MM-DD. */
export function todayInChina() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/**
 * Suggestions under a text field (a combobox): `fetchItems(text)` → items, `render(item)` → the option's nodes,
 * `pick(item)` when one is chosen (click, or arrows + Enter).
 */
export function suggest(input, list, { query, fetchItems, render, pick }) {
  let items = [];
  let active = -1;
  let timer;
  let asked = 0;
  const close = () => {
    list.replaceChildren();
    items = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
  };
  const show = (found) => {
    items = found;
    active = -1;
    list.replaceChildren(
      ...found.map((item, i) => {
        const li = el('li', undefined, { role: 'option', id: `${list.id}-${i}`, 'aria-selected': 'false' });
        li.append(...render(item));
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          pick(item);
          close();
        });
        return li;
      }),
    );
    input.setAttribute('aria-expanded', found.length > 0 ? 'true' : 'false');
  };
  const mark = (i) => {
    active = i;
    [...list.children].forEach((li, n) => li.setAttribute('aria-selected', n === i ? 'true' : 'false'));
    if (i >= 0) input.setAttribute('aria-activedescendant', `${list.id}-${i}`);
    else input.removeAttribute('aria-activedescendant');
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = query(input.value);
    if (!text) return close();
    timer = setTimeout(async () => {
      const n = ++asked;
      try {
        const found = await fetchItems(text);
        if (n === asked && document.activeElement === input) show(found);
      } catch {
        close();
      }
    }, 120);
  });
  input.addEventListener('keydown', (e) => {
    if (items.length === 0) return;
    if (e.key === 'ArrowDown') mark((active + 1) % items.length);
    else if (e.key === 'ArrowUp') mark((active - 1 + items.length) % items.length);
    else if (e.key === 'Enter' && active >= 0) pick(items[active]);
    else if (e.key !== 'Escape') return;
    e.preventDefault();
    if (e.key === 'Enter' || e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  return { show, close };
}

/** An industry suggestion's nodes: code and name, risk class, path 门类 › 大类 › 中类 (› 小类). */
export function industryOption(item) {
  const risk = el('span', `风险：${item.risk}`, { class: item.risk === '严重' ? 'risk severe' : 'risk' });
  const title = el('span', `${item.code} ${item.name}${item.usable ? '' : `（${item.levelName}，须细化到中类）`}`);
  const path = el('span', item.path.map((p) => p.name).join(' › '), { class: 'path' });
  return [risk, title, path];
}

markNav();
if (location.pathname !== '/login') void showUser();
