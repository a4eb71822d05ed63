// The map page: filters, time slider with histogram, map layers, side panel, latest developments.
import 'leaflet/dist/leaflet.css';
import './style.css';
import { getJSON, isAbort } from './api.js';
import { clear, el } from './dom.js';
import { createMap } from './map.js';
import { createPanel } from './panel.js';
import { CONTROL_COLORS, STATUSES, TYPE_STYLES, OTHER_TYPE, STATUS_FILLS, symbolSwatch } from './symbols.js';

const POINT_LIMIT = 20000;
const $ = (id) => document.getElementById(id);
const DAY = 86400000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (iso) => Date.parse(`${iso}T00:00:00Z`);

const state = { mode: 'reports', type: '', status: '', text: '', window: '', days: [], counts: new Map(), index: 0 };
const body = document.body.dataset;

function notice(message, isError = false) {
  const n = $('notice');
  n.textContent = message;
  n.classList.toggle('error', isError);
}

function report(error) {
  if (!isAbort(error)) notice(String(error.message || error), true);
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

const selectedDate = () => state.days[state.index] || null;

function filters() {
  return { type: state.type, status: state.status, q: state.text };
}

function dateRange() {
  const to = selectedDate();
  if (!to) return {};
  const from = state.window ? isoDay(dayMs(to) - (Number(state.window) - 1) * DAY) : undefined;
  return { from, to };
}

function bboxParam(map) {
  const b = map.getBounds().pad(0.3);
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
    .map((v) => v.toFixed(4)).join(',');
}

// -- map and panel ------------------------------------------------------------------------------------
const panel = createPanel($('detail'), {
  onOpen: (ev) => view.select(ev.id),
  onClose: () => view.select(null),
});
const openEvent = (id) => panel.open(id).catch(report);
const view = createMap($('map'), {
  onEvent: (props) => openEvent(props.fused ? props.claims[0] : props.id),
  onSettlement: (s) => notice(`${s.name}: ${s.state} since ${s.since || '?'} (${s.status}) — ${s.reason}`),
});
window.frontwatch = { map: view.map, state };

async function refreshPoints() {
  const fc = await getJSON('/api/points', { ...filters(), ...dateRange(), bbox: bboxParam(view.map), fused: state.mode === 'fused', limit: POINT_LIMIT }, 'points');
  view.setEvents(fc);
  body.points = String(fc.features.length);
  notice(fc.truncated ? `showing the newest ${fc.features.length.toLocaleString()} events here: zoom in or narrow the dates`
    : `${fc.features.length.toLocaleString()} events`);
}

async function refreshControl() {
  const date = selectedDate();
  if (!date) return;
  const fc = await getJSON('/api/control', { on: date }, 'control');
  view.setSettlements(fc);
  body.settlements = String(fc.features.length);
  body.controlDate = fc.date;
}

async function refreshLatest() {
  const latest = await getJSON('/api/latest', { ...filters(), on: selectedDate(), limit: 20 }, 'latest');
  const list = clear($('latest'));
  for (const item of latest.items) {
    const target = item.claims[0] || item.id;
    list.append(el('li', {},
      el('button', { type: 'button', class: 'link', dataset: { event: target }, onclick: () => openEvent(target) },
        el('span', { class: 'date' }, item.date || 'undated'), ' ', item.summary || `${item.kind} at ${item.place || '?'}`),
      ' ', el('span', { class: `badge status-${item.status}` }, item.status || ''),
      item.fused && item.sources > 1 ? el('span', { class: 'muted' }, ` ${item.sources} sources`) : null));
  }
  if (!latest.items.length) list.append(el('li', { class: 'muted' }, 'nothing yet'));
}

async function refreshAll() {
  body.loading = '1';
  try {
    await Promise.all([refreshPoints(), refreshControl(), refreshLatest()]);
    body.date = selectedDate() || '';
    delete body.loading;
  } catch (error) {
    report(error);
  }
}
const refreshSoon = debounce(refreshAll, 150);
view.map.on('moveend', debounce(() => refreshPoints().catch(report), 250));

// -- time slider with histogram -------------------------------------------------------------------------
function drawHistogram() {
  const canvas = $('histogram');
  const width = canvas.clientWidth;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * ratio));
  canvas.height = Math.round(44 * ratio);
  const ctx = canvas.getContext('2d');
  ctx.scale(ratio, ratio);
  const n = state.days.length;
  if (!n) return;
  const max = Math.max(1, ...state.counts.values());
  const barWidth = width / n;
  for (let i = 0; i < n; i++) {
    const c = state.counts.get(state.days[i]);
    if (!c) continue;
    const h = Math.max(2, (Math.sqrt(c) / Math.sqrt(max)) * 40);
    ctx.fillStyle = i <= state.index ? '#37474f' : '#b0bec5';
    ctx.fillRect(i * barWidth, 44 - h, Math.max(2, barWidth - (barWidth > 3 ? 1 : 0)), h);
  }
}

function setIndex(i, { refresh = true } = {}) {
  state.index = Math.max(0, Math.min(state.days.length - 1, i));
  $('slider').value = String(state.index);
  $('date').value = selectedDate() || '';
  drawHistogram();
  if (refresh) refreshSoon();
}

async function loadHistogram({ keepDate = true } = {}) {
  const h = await getJSON('/api/histogram', filters(), 'histogram');
  const previous = selectedDate();
  state.counts = new Map(h.days.map((d) => [d.date, d.count]));
  if (!state.days.length || !keepDate) {
    state.days = [];
    if (h.first) for (let t = dayMs(h.first); t <= dayMs(h.last); t += DAY) state.days.push(isoDay(t));
    $('slider').max = String(Math.max(0, state.days.length - 1));
    $('date').min = h.first || '';
    $('date').max = h.last || '';
  }
  const at = previous && state.days.includes(previous) ? state.days.indexOf(previous) : state.days.length - 1;
  setIndex(at, { refresh: false });
  return h.total;
}

let playing = null;
function togglePlay() {
  if (playing) {
    clearInterval(playing);
    playing = null;
    $('play').textContent = '▶';
    return;
  }
  if (state.index >= state.days.length - 1) setIndex(0, { refresh: false });
  const step = Math.max(1, Math.ceil(state.days.length / 240));
  $('play').textContent = '❚❚';
  playing = setInterval(() => {
    if (state.index >= state.days.length - 1) return togglePlay();
    setIndex(state.index + step);
  }, 250);
}

// -- filters and legend ---------------------------------------------------------------------------------
function fillStatusOptions() {
  const select = clear($('status'));
  select.append(el('option', { value: '' }, 'all'));
  for (const s of STATUSES[state.mode]) select.append(el('option', { value: s }, s));
  state.status = '';
}

function legend(types) {
  const box = clear($('legend'));
  const item = (swatch, label) => el('div', { class: 'legend-item' }, swatch, el('span', {}, label));
  box.append(el('h4', {}, 'Event type'));
  for (const t of types) box.append(item(symbolSwatch({ ...(TYPE_STYLES[t] || OTHER_TYPE), fill: 'filled' }), t));
  box.append(el('h4', {}, 'Status'));
  for (const s of [...new Set([...STATUSES.reports, ...STATUSES.fused])]) {
    box.append(item(symbolSwatch({ shape: 'circle', color: '#37474f', fill: STATUS_FILLS[s] }), s));
  }
  box.append(el('h4', {}, 'Settlement held by'));
  for (const [k, color] of Object.entries(CONTROL_COLORS)) {
    const dot = el('span', { class: `dot state-${k}` });
    dot.style.backgroundColor = color;
    box.append(item(dot, k));
  }
}

async function start() {
  const [stats, fused] = await Promise.all([getJSON('/api/stats'), getJSON('/api/fused', { limit: 1 })]);
  const types = Object.keys(stats.events_by_type);
  for (const t of types) $('type').append(el('option', { value: t }, t));
  legend([...new Set([...types, ...Object.keys(TYPE_STYLES)])]);
  state.mode = fused.total > 0 ? 'fused' : 'reports';
  $('mode').value = state.mode;
  fillStatusOptions();
  const total = await loadHistogram({ keepDate: false });
  if (total > POINT_LIMIT) {
    // A big store: start on the last month, which the map can show whole.
    state.window = '30';
    $('window').value = '30';
  }
  if (!state.days.length) notice('The store has no dated events yet: ingest reports with `frontwatch ingest`.');
  await refreshAll();
  body.ready = '1';
}

$('slider').addEventListener('input', (e) => setIndex(Number(e.target.value)));
$('date').addEventListener('change', (e) => {
  const i = state.days.indexOf(e.target.value);
  if (i >= 0) setIndex(i);
  else if (e.target.value && state.days.length) setIndex(e.target.value < state.days[0] ? 0 : state.days.length - 1);
});
$('play').addEventListener('click', togglePlay);
$('mode').addEventListener('change', (e) => {
  state.mode = e.target.value;
  fillStatusOptions();
  refreshAll();
});
for (const [id, key] of [['type', 'type'], ['status', 'status'], ['window', 'window']]) {
  $(id).addEventListener('change', (e) => {
    state[key] = e.target.value;
    if (key === 'window') refreshAll();
    else loadHistogram().then(refreshAll).catch(report);
  });
}
$('text').addEventListener('input', debounce((e) => {
  state.text = e.target.value.trim();
  loadHistogram().then(refreshAll).catch(report);
}, 300));
window.addEventListener('resize', debounce(drawHistogram, 100));

start().catch(report);
