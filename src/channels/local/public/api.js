/** The playground's JSON API. Outcomes are values: { status, body }, whatever the status. */
const BASE = '/playground/api';

export async function getJson(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const search = params.toString();
  const response = await fetch(`${BASE}${path}${search ? `?${search}` : ''}`, {
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return response.json();
}

export async function postJson(path, body) {
  const response = await fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  let parsed = {};
  try {
    parsed = await response.json();
  } catch {
    // An empty or non-JSON answer still has its status.
  }
  return { status: response.status, body: parsed };
}
