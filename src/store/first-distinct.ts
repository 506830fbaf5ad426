/**
 * The first row of each of the first `limit` distinct keys met in `rows`, in the order met. Reading
 * stops there (the iterator is closed), so a query ordered by the queue's order costs what it
 * returns, not the backlog behind it. Serves the due queries of both stores (a SQLite statement's
 * rows, a MongoDB cursor).
 */
export async function firstDistinct<T>(
  rows: Iterable<T> | AsyncIterable<T>,
  keyOf: (row: T) => string,
  limit: number,
): Promise<T[]> {
  const found = new Map<string, T>();
  if (limit <= 0) return [];
  for await (const row of rows) {
    const key = keyOf(row);
    if (!found.has(key)) found.set(key, row);
    if (found.size === limit) break;
  }
  return [...found.values()];
}
