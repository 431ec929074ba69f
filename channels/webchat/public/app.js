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

// --- voice notes ---
// The browser records (WebM or OGG, depending on the browser), decodes with the Web Audio API and
// uploads 16 kHz mono WAV, which the service reads without ffmpeg.
const record = document.getElementById('record');
let recorder;

function encodeWav(samples, sampleRate) {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (offset, value) => [...value].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.max(-1, Math.min(1, s)) * 0x7fff, true));
  return new Blob([buffer], { type: 'audio/wav' });
}

async function toWav16k(blob) {
  const decoded = await new AudioContext().decodeAudioData(await blob.arrayBuffer());
  const offline = new OfflineAudioContext(1, Math.ceil(decoded.duration * 16000), 16000);
  const source = offline.createBufferSource();
  source.buffer = decoded;
  source.connect(offline.destination);
  source.start();
  const rendered = await offline.startRendering();
  return { wav: encodeWav(rendered.getChannelData(0), 16000), seconds: decoded.duration };
}

async function sendRecording(blob) {
  const pending = add('system', '…', undefined, 'msg--pending');
  try {
    const { wav, seconds } = await toWav16k(blob);
    add('in', `🎤 voice note (${seconds.toFixed(1)} s)`);
    const { replies } = await api('/webchat/api/voice', { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: wav });
    pending.remove();
    for (const reply of replies) add('out', reply.text, reply.id);
  } catch (error) {
    pending.remove();
    add('system', error.message, undefined, 'msg--error');
  }
}

record.addEventListener('click', async () => {
  if (recorder?.state === 'recording') {
    recorder.stop();
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((track) => track.stop());
      record.setAttribute('aria-pressed', 'false');
      record.textContent = '🎤';
      void sendRecording(new Blob(chunks, { type: recorder.mimeType }));
    };
    recorder.start();
    record.setAttribute('aria-pressed', 'true');
    record.textContent = '⏹';
  } catch (error) {
    add('system', `Could not record: ${error.message}`, undefined, 'msg--error');
  }
});

start().catch((error) => add('system', `Could not connect: ${error.message}`, undefined, 'msg--error'));
