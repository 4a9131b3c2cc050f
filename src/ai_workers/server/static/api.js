// The dashboard's only way to the server: same-origin fetch with the signed-in key as a Bearer token.
// A 401 means the key is gone (revoked, expired, wrong): the session ends and the sign-in form returns.

const SESSION_KEY = "aiw.session";

export class ApiError extends Error {
  constructor(status, message, code, param) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }
}

export const session = {
  load() {
    try {
      return JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");
    } catch {
      return null;
    }
  },
  save(value) {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(SESSION_KEY);
  },
};

let onUnauthorized = () => {};

export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

function headers(key, extra = {}) {
  const out = { Accept: "application/json", ...extra };
  if (key) out.Authorization = `Bearer ${key}`;
  return out;
}

async function errorFrom(response) {
  let message = `${response.status} ${response.statusText}`;
  let code = null;
  let param = null;
  try {
    const body = await response.json();
    if (body && body.error) {
      message = body.error.message || message;
      code = body.error.code || null;
      param = body.error.param || null;
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, message, code, param);
}

// Low level: one call with an explicit key (or none), no session handling. Used by sign-in.
export async function call(method, path, { key, params, body } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(name, value);
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: headers(key, body === undefined ? {} : { "Content-Type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (error) {
    throw new ApiError(0, `The gateway could not be reached (${error.message}). Is it running?`, "network");
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return null;
  return response.json();
}

// High level: with the session's key; a 401 ends the session.
export async function api(method, path, options = {}) {
  const current = session.load();
  try {
    return await call(method, path, { ...options, key: current ? current.key : null });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      session.clear();
      onUnauthorized(error, current);
    }
    throw error;
  }
}

export const get = (path, params) => api("GET", path, { params });
