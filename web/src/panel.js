// The side panel: one event's claims, claimants, verification, and its sentences inside the document.
import { getJSON } from './api.js';
import { append, clear, el, safeUrl } from './dom.js';
import { fillOf, symbolSwatch, typeStyle } from './symbols.js';

const badge = (status) => el('span', { class: `badge status-${status}` }, status || 'unknown');

function row(label, ...value) {
  return el('div', { class: 'row' }, el('span', { class: 'label' }, label), el('span', { class: 'value' }, ...value));
}

function eventLink(ev, open, extra = '') {
  const who = ev.claim?.claimant ? ` — ${ev.claim.claimant}` : '';
  return el('li', {},
    el('button', { type: 'button', class: 'link', dataset: { event: ev.id }, onclick: () => open(ev.id) },
      `${ev.date || 'undated'} · ${ev.summary || ev.kind}${who}${extra}`),
    ' ', badge(ev.claim?.status));
}

function claimBlock(claim) {
  const verified = claim.publisher_verified === true ? 'the publisher says it verified this'
    : claim.publisher_verified === false ? 'the publisher says it could not verify this' : 'not stated';
  return el('div', { class: 'claim' },
    row('Claimant', claim.claimant || 'the reporter (no attribution)', claim.claimant_side ? ` (${claim.claimant_side})` : ''),
    row('Source type', claim.source_type),
    row('Status', badge(claim.status)),
    claim.verb ? row('Reporting verb', claim.verb) : null,
    claim.hedges?.length ? row('Hedges', claim.hedges.join(', ')) : null,
    row('Verification', verified));
}

// The document's text with this event's evidence marked; other events' evidence marked more faintly.
function documentText(doc, eventId, open) {
  const box = el('div', { class: 'doctext', tabindex: '0' });
  for (const seg of doc.segments) {
    if (!seg.events.length) {
      box.append(document.createTextNode(seg.text));
    } else if (seg.events.includes(eventId)) {
      box.append(el('mark', { class: 'evidence current', dataset: { events: seg.events.join(' ') } }, seg.text));
    } else {
      box.append(el('mark', { class: 'evidence other', title: 'evidence of another event', dataset: { events: seg.events.join(' ') },
        onclick: () => open(seg.events[0]) }, seg.text));
    }
  }
  return box;
}

function timelineBlock(timeline) {
  if (!timeline.states.length) return null;
  return el('section', { class: 'timeline' }, el('h3', {}, 'Control of this place'),
    el('ol', {}, timeline.states.map((s) => el('li', {},
      `${s.since || '?'}: `, el('span', { class: `state state-${s.state}` }, s.state), s.lean ? ` (leans ${s.lean})` : '',
      ' ', badge(s.status), ` — ${s.reason}`))));
}

export function createPanel(container, { onOpen, onClose }) {
  let current = null;

  async function open(eventId) {
    current = eventId;
    container.hidden = false;
    clear(container).append(el('p', { class: 'loading' }, 'Loading…'));
    const detail = await getJSON(`/api/events/${encodeURIComponent(eventId)}`, {}, 'detail');
    const ev = detail.event;
    const [doc, timeline] = await Promise.all([
      getJSON(`/api/documents/${encodeURIComponent(ev.doc)}`, {}, 'detail-doc'),
      ev.location?.geonameid ? getJSON(`/api/places/gn:${ev.location.geonameid}/control`, {}, 'detail-place') : null,
    ]);
    if (current !== eventId) return;
    const style = { ...typeStyle(ev.type), fill: fillOf(detail.fused ? detail.fused.status : ev.claim.status) };
    const meta = detail.document || {};
    const url = meta.url && safeUrl(meta.url);
    clear(container);
    append(container, [
      el('button', { type: 'button', class: 'close', 'aria-label': 'Close', onclick: close }, '×'),
      el('h2', { id: 'event-title' }, symbolSwatch(style, 18), ' ', ev.summary || `${ev.kind} event`),
      el('div', { class: 'meta' },
        row('What', `${ev.type} / ${ev.sub_type} (${ev.kind})`),
        row('When', ev.date || 'undated', ev.date_precision !== 'day' ? ` (${ev.date_precision})` : ''),
        row('Where', ev.location ? `${ev.location.name}${ev.location.relation ? ` — ${ev.location.relation}` : ''}${ev.location.admin1 ? `, ${ev.location.admin1}` : ''}` : 'not located'),
        ev.actors.length ? row('Actors', ev.actors.map((a) => `${a.name}${a.side ? ` (${a.side})` : ''}`).join('; ')) : null,
        ev.fatalities != null ? row('Fatalities', String(ev.fatalities)) : null),
      el('h3', {}, 'This report’s claim'),
      claimBlock(ev.claim),
      detail.fused ? el('section', { class: 'fused' }, el('h3', {}, 'Across sources'),
        row('Status', badge(detail.fused.status), ` confidence ${Math.round(detail.fused.confidence * 100)}%`),
        row('Why', detail.fused.reason),
        row('Sources', detail.fused.sources.join(', ') || '—')) : null,
      el('h3', {}, `Claims about this event (${detail.claims.length})`),
      el('ul', { id: 'claims', class: 'claims' }, detail.claims.map((c) => eventLink(c, open, c.id === ev.id ? ' (this report)' : ''))),
      el('h3', {}, 'Evidence'),
      el('div', { class: 'docmeta' },
        el('strong', { class: 'doctitle' }, meta.title || meta.id || ev.doc),
        ` — ${meta.source || 'unknown source'}, ${meta.published || 'undated'} `,
        url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, 'original') : null),
      documentText(doc, ev.id, open),
      timelineBlock(timeline || { states: [] }),
      el('h3', {}, 'Related events'),
      detail.related.length ? el('ul', { id: 'related', class: 'claims' }, detail.related.map((r) => eventLink(r, open)))
        : el('p', { class: 'muted' }, 'none at this place'),
    ]);
    container.querySelector('mark.evidence.current')?.scrollIntoView({ block: 'nearest' });
    container.scrollTop = 0;
    container.dataset.event = ev.id;
    onOpen(ev);
  }

  function close() {
    current = null;
    container.hidden = true;
    delete container.dataset.event;
    clear(container);
    onClose();
  }

  return { open, close };
}
