// The Leviathan browser client: plain modules, no build step, nothing fetched from elsewhere.
import { createConnection } from './connection.js';
import { createHistory } from './history.js';
import { fetchLoginOptions, loginForm } from './login-options.js';

const $ = (id) => document.getElementById(id);
const MAX_LINES = 2000;

const log = $('log');
const input = $('input');
const status = $('status');
const history = createHistory();
/** Who is in the room, kept in step with `room` and `presence` events. */
let occupants = [];

function print(text, cls = '') {
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  const line = document.createElement('div');
  line.className = `line ${cls}`;
  line.textContent = text;
  log.append(line);
  while (log.childElementCount > MAX_LINES) log.firstElementChild.remove();
  if (atBottom) log.scrollTop = log.scrollHeight;
}

function renderOccupants() {
  const list = $('occupants');
  list.replaceChildren(
    ...occupants.map((o) => {
      const li = document.createElement('li');
      li.textContent = o.name;
      li.className = o.kind;
      return li;
    }),
  );
}

function showRoom(room) {
  $('room-title').textContent = room.title;
  $('room-desc').textContent = room.description;
  $('exits').replaceChildren(
    ...room.exits.map((exit) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = exit.direction;
      if (exit.to) b.title = exit.to;
      b.addEventListener('click', () => run(exit.direction));
      return b;
    }),
  );
  $('items').replaceChildren(
    ...room.items.map((item) => {
      const li = document.createElement('li');
      li.textContent = item.name;
      return li;
    }),
  );
  occupants = room.occupants.slice();
  renderOccupants();
}

/** One bar of the vitals panel: its numbers, its fill, and what a screen reader says of it. */
function showBar(name, value, max) {
  const bar = $(`${name}-bar`);
  $(`${name}-text`).textContent = `${value}/${max}`;
  // A <meter> is read as "Health, 30 of 30" with this text, rather than as a percentage.
  bar.max = Math.max(1, max);
  bar.value = value;
  bar.setAttribute('aria-valuetext', `${value} of ${max}`);
  // Low: a quarter or less, the point where a player should stop and rest.
  bar.classList.toggle('low', max === 0 || value / max <= 0.25);
}

/** The character panel, from a `vitals` event: each carries every figure, so the last one wins. */
function showVitals(v) {
  $('vitals').hidden = false;
  $('vitals-level').textContent = `Level ${v.level}`;
  showBar('health', v.health, v.maxHealth);
  showBar('energy', v.energy, v.maxEnergy);
  $('vitals-xp').textContent =
    v.toNextLevel > 0
      ? `${v.xp} experience, ${v.toNextLevel} to the next level`
      : `${v.xp} experience, the highest level`;
}

function onMessage(msg) {
  switch (msg.type) {
    case 'auth-ok':
      $('login-view').hidden = true;
      $('game-view').hidden = false;
      input.focus();
      break;
    case 'auth-error':
      $('login-error').textContent = msg.message;
      $('login-view').hidden = false;
      $('game-view').hidden = true;
      break;
    case 'text':
      print(msg.text, msg.channel ?? '');
      break;
    case 'reply':
      if (msg.text) print(msg.text, msg.ok ? '' : 'error');
      break;
    case 'error':
      print(msg.message, 'error');
      break;
    case 'room':
      showRoom(msg);
      break;
    case 'vitals':
      showVitals(msg);
      break;
    case 'presence':
      if (msg.event === 'arrive') occupants.push({ name: msg.name, kind: msg.kind });
      else {
        const i = occupants.findIndex((o) => o.name === msg.name);
        if (i >= 0) occupants.splice(i, 1);
      }
      renderOccupants();
      break;
    case 'bye':
      print(`Disconnected: ${msg.reason}`, 'system');
      break;
    default:
      // chat and event: the text beside them is already in the log.
      break;
  }
}

const connection = createConnection({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
  onMessage,
  onStatus(state, detail) {
    status.className = `status ${state}`;
    status.textContent = detail ? `${state} (${detail})` : state;
    if (state === 'reconnecting') print(`Connection lost; reconnecting ${detail ?? ''}…`, 'system');
  },
});

function run(line) {
  print(`> ${line}`, 'echo');
  if (!connection.command(line)) print('Not connected.', 'error');
}

// ─── Login ───────────────────────────────────────────────────────────────────────────────────

const form = $('login');
function mode() {
  return form.elements.mode.value;
}
let showToken = true;
function syncMode() {
  const token = mode() === 'token';
  form.querySelector('.password').hidden = token;
  form.querySelector('.token').hidden = !token || !showToken;
  $('password').autocomplete = mode() === 'register' ? 'new-password' : 'current-password';
}
form.addEventListener('change', syncMode);
$('username').value = localStorage.getItem('leviathan.username') ?? '';
syncMode();
$('username').focus();

/** The form drawn for the way in the server takes (or every way, when it cannot tell). */
function showLoginForm(options) {
  const layout = loginForm(options, localStorage.getItem('leviathan.mode'));
  for (const label of form.querySelectorAll('.modes label'))
    label.hidden = !layout.modes.includes(label.dataset.mode);
  // One way in needs no choice.
  form.querySelector('.modes').hidden = layout.modes.length < 2;
  form.querySelector(`input[name="mode"][value="${layout.mode}"]`).checked = true;
  if (layout.token !== undefined) $('token').value = layout.token;
  showToken = layout.showToken;
  $('login-hint').textContent = layout.hint;
  syncMode();
}
// A name typed and submitted before the answer came waits for it, so it goes the right way in.
const formReady = fetchLoginOptions().then(showLoginForm);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  await formReady;
  const username = $('username').value.trim();
  const secret = mode() === 'token' ? $('token').value : $('password').value;
  if (!secret) {
    $('login-error').textContent = mode() === 'token' ? 'A token is needed.' : 'A password is needed.';
    return;
  }
  $('login-error').textContent = '';
  localStorage.setItem('leviathan.username', username);
  localStorage.setItem('leviathan.mode', mode() === 'register' ? 'login' : mode());
  connection.connect({ mode: mode(), username, secret });
});

// ─── Command line ────────────────────────────────────────────────────────────────────────────

$('command-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const line = input.value;
  input.value = '';
  history.push(line);
  if (line.trim() === '') return;
  run(line);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowUp') {
    input.value = history.up(input.value);
    event.preventDefault();
  } else if (event.key === 'ArrowDown') {
    input.value = history.down(input.value);
    event.preventDefault();
  }
});
document.addEventListener('keydown', (event) => {
  if (
    !$('game-view').hidden &&
    document.activeElement !== input &&
    event.key.length === 1 &&
    !event.ctrlKey &&
    !event.metaKey
  )
    input.focus();
});
