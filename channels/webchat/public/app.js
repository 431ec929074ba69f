// The web chat page: no framework, no CDN. Messages go out with POST /webchat/api/messages and their
// replies come back in the response; proactive messages (reminders) arrive on the event stream.
const log = document.getElementById('log');
const form = document.getElementById('form');
const input = document.getElementById('text');
const identity = document.getElementById('identity');
const shown = new Set();

function add(direction, text, id, extraClass) {
  if (id && shown.has(id)) return;
  if (id) shown.add(id);
  const item = document.createElement('li');
  item.className = `msg msg--${direction}${extraClass ? ` ${extraClass}` : ''}`;
  item.dataset.testid = direction === 'in' ? 'user-message' : direction === 'out' ? 'bot-message' : 'system-message';
  item.textContent = text;
  log.appendChild(item);
  log.scrollTop = log.scrollHeight;
  return item;
}

async function api(path, options) {
  const response = await fetch(path, { credentials: 'same-origin', ...options });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body?.error?.message ?? `The service answered ${response.status}.`);
  return body;
}

async function start() {
  const session = await api('/webchat/api/session');
  identity.textContent = `You are ${session.identity}`;
  const { messages } = await api('/webchat/api/history');
  for (const m of messages) add(m.direction, m.text, m.id);
  const events = new EventSource('/webchat/api/events');
  events.onmessage = (event) => {
    const message = JSON.parse(event.data);
    add('out', message.text, message.id, message.kind === 'notification' ? 'msg--notification' : '');
  };
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  add('in', text);
  const pending = add('system', '…', undefined, 'msg--pending');
  try {
    const { replies } = await api('/webchat/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, clientMessageId: crypto.randomUUID() }),
    });
    pending.remove();
    for (const reply of replies) add('out', reply.text, reply.id);
  } catch (error) {
    pending.remove();
    add('system', error.message, undefined, 'msg--error');
  }
  input.focus();
});

start().catch((error) => add('system', `Could not connect: ${error.message}`, undefined, 'msg--error'));
