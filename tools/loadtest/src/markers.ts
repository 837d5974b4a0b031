/**
 * An edit marker: invisible separators around writer id, sequence number and
 * send time, inserted as ordinary text so it travels like any keystroke.
 */
const SEP = '\u2063';
const MARKER = new RegExp(`${SEP}(\\d+):(\\d+):(\\d+(?:\\.\\d+)?)${SEP}`, 'g');

export interface Marker {
  writer: number;
  seq: number;
  /** performance.now() of the writer (same process as every reader). */
  sentAtMs: number;
}

export function encodeMarker(marker: Marker): string {
  return `${SEP}${marker.writer}:${marker.seq}:${marker.sentAtMs.toFixed(3)}${SEP}`;
}

export function decodeMarkers(text: string): Marker[] {
  const found: Marker[] = [];
  for (const match of text.matchAll(MARKER)) {
    found.push({ writer: Number(match[1]), seq: Number(match[2]), sentAtMs: Number(match[3]) });
  }
  return found;
}

export function markerKey(marker: Pick<Marker, 'writer' | 'seq'>): string {
  return `${marker.writer}:${marker.seq}`;
}
