/**
 * Request headers as any framework hands them over: a fetch `Headers` (Hono, Next.js, Workers),
 * Node's `IncomingHttpHeaders` (Express, Fastify, http), or a plain object in any letter case.
 */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Reads a header by case-insensitive name; repeated headers are joined by a space. */
export type HeaderReader = (name: string) => string | undefined;

export function headerReader(source: HeaderSource): HeaderReader {
  if (typeof (source as { get?: unknown }).get === 'function') {
    const headers = source as { get(name: string): string | null };
    return (name) => headers.get(name) ?? undefined;
  }
  const byLowerName = new Map<string, string>();
  for (const [name, value] of Object.entries(source as Record<string, string | readonly string[] | undefined>)) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : value.join(' ');
    const key = name.toLowerCase();
    const earlier = byLowerName.get(key);
    byLowerName.set(key, earlier === undefined ? text : `${earlier} ${text}`);
  }
  return (name) => byLowerName.get(name.toLowerCase());
}
