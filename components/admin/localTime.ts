// <input type="datetime-local"> speaks the browser's local time without a zone; the API speaks
// ISO 8601 instants. These two convert, and an empty field is "not set" (null).
export function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function fromLocalInput(value: string): string | null {
  return value ? new Date(value).toISOString() : null;
}
