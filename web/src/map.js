// The map: Natural Earth borders, clustered event symbols on a canvas, settlements by control state.
import L from 'leaflet';
import Supercluster from 'supercluster';
import { el } from './dom.js';
import { CONTROL_COLORS, drawSymbol, fillOf, typeStyle } from './symbols.js';

const SYMBOL_RADIUS = 6;
const CLUSTER_MAX_ZOOM = 11;

// A canvas path drawn as the event's symbol (Leaflet only knows circles); hit-testing stays the circle's.
const EventSymbol = L.CircleMarker.extend({
  _updatePath() {
    const renderer = this._renderer;
    if (!renderer._drawing || this._empty()) return;
    const p = this._point;
    drawSymbol(renderer._ctx, this.options.symbol, p.x, p.y, this._radius, this.options.selected);
  },
});

export function createMap(container, { onEvent, onSettlement }) {
  const map = L.map(container, { preferCanvas: true, zoomControl: true, worldCopyJump: false, minZoom: 2, maxZoom: 16 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Borders: Natural Earth');
  map.setView([48.4, 34.5], 6);

  const eventsRenderer = L.canvas({ padding: 0.2, tolerance: 3 });
  const settlementRenderer = L.svg({ pane: 'settlements', padding: 0.2 });
  map.createPane('basemap').style.zIndex = 250;
  // Above the event canvas, but only the rings take the pointer: a symbol inside a ring stays clickable.
  map.createPane('settlements').style.zIndex = 420;
  map.createPane('clusters').style.zIndex = 610;

  const borders = L.geoJSON(null, {
    pane: 'basemap',
    renderer: L.canvas({ pane: 'basemap', padding: 0.2 }),
    interactive: false,
    style: { color: '#8d8d8d', weight: 0.8, fillColor: '#f3efe6', fillOpacity: 1 },
  }).addTo(map);
  fetch('/assets/countries.geojson')
    .then((r) => r.json())
    .then((data) => borders.addData(data))
    .catch(() => {});

  const settlements = L.layerGroup().addTo(map);
  const events = L.layerGroup().addTo(map);
  let index = null;
  let selectedId = null;

  function drawEvents() {
    events.clearLayers();
    if (!index) return;
    const b = map.getBounds();
    const zoom = Math.round(map.getZoom());
    const items = index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom);
    const stacked = new Map();
    for (const item of items) {
      const [lon, lat] = item.geometry.coordinates;
      if (item.properties.cluster) {
        const n = item.properties.point_count;
        const size = 24 + Math.min(24, Math.log10(n) * 10);
        const marker = L.marker([lat, lon], {
          pane: 'clusters',
          keyboard: false,
          title: `${n} events`,
          icon: L.divIcon({ className: 'cluster', iconSize: [size, size], html: el('span', {}, n >= 1000 ? `${Math.round(n / 100) / 10}k` : n) }),
        });
        marker.on('click', () => map.flyTo([lat, lon], Math.min(index.getClusterExpansionZoom(item.properties.cluster_id), 16)));
        events.addLayer(marker);
        continue;
      }
      // Several events at one place: set them around it so each can be clicked.
      const key = `${lat},${lon}`;
      const nth = stacked.get(key) || 0;
      stacked.set(key, nth + 1);
      let at = L.latLng(lat, lon);
      if (nth > 0) {
        const p = map.project(at, zoom);
        const angle = (nth * 2 * Math.PI) / 8;
        const ring = SYMBOL_RADIUS * 2.6 * (1 + Math.floor((nth - 1) / 8));
        at = map.unproject(p.add([ring * Math.cos(angle), ring * Math.sin(angle)]), zoom);
      }
      const props = item.properties;
      const style = typeStyle(props.type);
      const symbol = new EventSymbol(at, {
        renderer: eventsRenderer,
        radius: SYMBOL_RADIUS,
        symbol: { ...style, fill: fillOf(props.status) },
        selected: props.id === selectedId,
      });
      symbol.on('click', () => onEvent(props));
      symbol.bindTooltip(() => el('span', {}, `${props.date || 'undated'} · ${props.kind} at ${props.place || '?'} (${props.status || '?'})`), { direction: 'top', offset: [0, -6] });
      events.addLayer(symbol);
    }
  }

  map.on('moveend', drawEvents);

  return {
    map,
    setEvents(featureCollection) {
      index = new Supercluster({ radius: 48, maxZoom: CLUSTER_MAX_ZOOM, minPoints: 3 });
      index.load(featureCollection.features);
      drawEvents();
    },
    select(id) {
      selectedId = id;
      drawEvents();
    },
    setSettlements(featureCollection) {
      settlements.clearLayers();
      for (const f of featureCollection.features) {
        const s = f.properties;
        const [lon, lat] = f.geometry.coordinates;
        const marker = L.circleMarker([lat, lon], {
          pane: 'settlements',
          renderer: settlementRenderer,
          radius: 10,
          color: CONTROL_COLORS[s.state] || CONTROL_COLORS.unknown,
          weight: 3,
          dashArray: s.status === 'corroborated' ? null : '4 3',
          fillColor: CONTROL_COLORS[s.state] || CONTROL_COLORS.unknown,
          fillOpacity: s.state === 'contested' ? 0.25 : 0.45,
          className: `settlement state-${s.state}`,
        });
        marker.on('add', () => {
          const node = marker.getElement();
          node.dataset.place = s.place_id;
          node.dataset.state = s.state;
        });
        marker.bindTooltip(() => el('span', {}, `${s.name}: ${s.state}${s.lean ? ` (leans ${s.lean})` : ''} since ${s.since || '?'} (${s.status})`));
        marker.on('click', () => onSettlement(s));
        settlements.addLayer(marker);
      }
    },
  };
}
