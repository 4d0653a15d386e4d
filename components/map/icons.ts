// Marker shapes drawn once on a canvas: a vehicle arrow and a vessel hull, both pointing up
// (north), white so deck.gl's mask mode tints them by status.
export const ICON_SIZE = 64;

export const ICON_MAPPING = {
  arrow: { x: 0, y: 0, width: ICON_SIZE, height: ICON_SIZE, mask: true, anchorY: ICON_SIZE / 2 },
  hull: { x: ICON_SIZE, y: 0, width: ICON_SIZE, height: ICON_SIZE, mask: true, anchorY: ICON_SIZE / 2 },
};

export function drawIconAtlas(): string {
  const c = document.createElement('canvas');
  c.width = ICON_SIZE * 2;
  c.height = ICON_SIZE;
  const g = c.getContext('2d')!;
  g.fillStyle = '#fff';
  g.strokeStyle = 'rgba(0,0,0,0.9)';
  g.lineWidth = 3;
  g.lineJoin = 'round';
  // Vehicle: a chevron arrow.
  g.beginPath();
  g.moveTo(32, 6);
  g.lineTo(54, 56);
  g.lineTo(32, 44);
  g.lineTo(10, 56);
  g.closePath();
  g.fill();
  g.stroke();
  // Vessel: a long pointed hull with a square stern.
  g.beginPath();
  g.moveTo(64 + 32, 4);
  g.quadraticCurveTo(64 + 48, 22, 64 + 46, 60);
  g.lineTo(64 + 18, 60);
  g.quadraticCurveTo(64 + 16, 22, 64 + 32, 4);
  g.fill();
  g.stroke();
  return c.toDataURL('image/png');
}
