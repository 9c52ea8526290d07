/** How old a story is — "45m ago", "3h ago", "2d ago" — the same in chat answers and digests. */
export function formatAge(then: number, now: Date): string {
  const minutes = Math.floor((now.getTime() - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.floor(hours / 24)}d ago`;
}
