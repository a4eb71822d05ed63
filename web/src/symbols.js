// How events and settlements look: shape and colour by event type, fill by claim status.

export const TYPE_STYLES = {
  Battles: { shape: 'square', color: '#b3261e' },
  'Explosions/Remote violence': { shape: 'triangle', color: '#c25e00' },
  'Violence against civilians': { shape: 'diamond', color: '#7b1fa2' },
  'Strategic developments': { shape: 'circle', color: '#1b4f72' },
  Protests: { shape: 'star', color: '#2e7d32' },
  Riots: { shape: 'star', color: '#5d4037' },
};
export const OTHER_TYPE = { shape: 'circle', color: '#455a64' };

// filled: the account stands (reported as fact, or several independent sources agree);
// hollow: one side's claim; dashed: hedged; hatched: sources disagree; crossed: denied.
export const STATUS_FILLS = {
  asserted: 'filled',
  corroborated: 'filled',
  claimed: 'hollow',
  hedged: 'dashed',
  contested: 'hatched',
  denied: 'crossed',
};

export const STATUSES = {
  reports: ['asserted', 'claimed', 'hedged', 'denied'],
  fused: ['corroborated', 'claimed', 'contested', 'denied'],
};

export const CONTROL_COLORS = { UA: '#1565c0', RU: '#c62828', contested: '#f9a825', unknown: '#9e9e9e' };

export function typeStyle(type) {
  return TYPE_STYLES[type] || OTHER_TYPE;
}

export function fillOf(status) {
  return STATUS_FILLS[status] || 'hollow';
}

export function tracePath(ctx, shape, x, y, r) {
  ctx.beginPath();
  if (shape === 'square') {
    ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
  } else if (shape === 'triangle') {
    ctx.moveTo(x, y - r * 1.1);
    ctx.lineTo(x + r, y + r * 0.75);
    ctx.lineTo(x - r, y + r * 0.75);
    ctx.closePath();
  } else if (shape === 'diamond') {
    ctx.moveTo(x, y - r * 1.15);
    ctx.lineTo(x + r * 1.15, y);
    ctx.lineTo(x, y + r * 1.15);
    ctx.lineTo(x - r * 1.15, y);
    ctx.closePath();
  } else if (shape === 'star') {
    for (let i = 0; i < 10; i++) {
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      const rr = i % 2 ? r * 0.5 : r * 1.15;
      ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
    }
    ctx.closePath();
  } else {
    ctx.arc(x, y, r, 0, Math.PI * 2);
  }
}

const hatches = new Map();

function hatch(ctx, color) {
  if (!hatches.has(color)) {
    const tile = document.createElement('canvas');
    tile.width = tile.height = 6;
    const t = tile.getContext('2d');
    t.fillStyle = '#ffffff';
    t.fillRect(0, 0, 6, 6);
    t.strokeStyle = color;
    t.lineWidth = 1.6;
    t.beginPath();
    t.moveTo(0, 6);
    t.lineTo(6, 0);
    t.moveTo(-1, 1);
    t.lineTo(1, -1);
    t.moveTo(5, 7);
    t.lineTo(7, 5);
    t.stroke();
    hatches.set(color, ctx.createPattern(tile, 'repeat'));
  }
  return hatches.get(color);
}

// Draw one event symbol on a 2D canvas context.
export function drawSymbol(ctx, { shape, color, fill }, x, y, r, selected = false) {
  tracePath(ctx, shape, x, y, r);
  ctx.globalAlpha = 1;
  ctx.setLineDash([]);
  if (fill === 'filled') ctx.fillStyle = color;
  else if (fill === 'hatched') ctx.fillStyle = hatch(ctx, color);
  else ctx.fillStyle = 'rgba(255,255,255,0.92)';
  ctx.fill();
  ctx.lineWidth = fill === 'hatched' ? 2.2 : fill === 'filled' ? 1 : 2;
  ctx.strokeStyle = fill === 'filled' ? '#ffffff' : fill === 'crossed' ? '#616161' : color;
  if (fill === 'dashed' || fill === 'crossed') ctx.setLineDash([3, 2]);
  ctx.stroke();
  ctx.setLineDash([]);
  if (fill === 'crossed') {
    ctx.beginPath();
    ctx.moveTo(x - r * 0.6, y - r * 0.6);
    ctx.lineTo(x + r * 0.6, y + r * 0.6);
    ctx.moveTo(x + r * 0.6, y - r * 0.6);
    ctx.lineTo(x - r * 0.6, y + r * 0.6);
    ctx.lineWidth = 1.6;
    ctx.strokeStyle = color;
    ctx.stroke();
  }
  if (selected) {
    ctx.beginPath();
    ctx.arc(x, y, r + 4, 0, Math.PI * 2);
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#000000';
    ctx.stroke();
  }
}

// A small canvas with one symbol, for the legend.
export function symbolSwatch(style, size = 22) {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  canvas.className = 'swatch';
  drawSymbol(canvas.getContext('2d'), style, size / 2, size / 2, size / 3.2);
  return canvas;
}
