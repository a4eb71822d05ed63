// The JSON API (see /openapi.json). One pending request per key: a newer one aborts the older.

const pending = new Map();

export async function getJSON(path, params = {}, key = path) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  }
  pending.get(key)?.abort();
  const controller = new AbortController();
  pending.set(key, controller);
  const url = query.toString() ? `${path}?${query}` : path;
  try {
    const response = await fetch(url, { signal: controller.signal, headers: { Accept: 'application/json' } });
    if (!response.ok) {
      let detail = response.statusText;
      try {
        detail = JSON.stringify((await response.json()).detail);
      } catch {
        // not JSON: keep the status text
      }
      throw new Error(`${path}: ${response.status} ${detail}`);
    }
    return await response.json();
  } finally {
    if (pending.get(key) === controller) pending.delete(key);
  }
}

export const isAbort = (error) => error?.name === 'AbortError';
