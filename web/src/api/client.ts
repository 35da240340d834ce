import type { FieldError, ProblemBody } from './types.js';

/** An API failure: the problem+json body's status, code, title, detail and field errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly body: ProblemBody;

  constructor(status: number, body: ProblemBody) {
    const title = body.title ?? `HTTP ${status}`;
    super(body.detail ? `${title}: ${body.detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? (status === 0 ? 'network_error' : `http_${status}`);
    this.title = title;
    this.detail = body.detail ?? '';
    this.errors = Array.isArray(body.errors) ? body.errors : [];
    this.body = body;
  }

  /** The message of the first error on `field` (or a field below it), if any. */
  fieldError(field: string): string | undefined {
    // Validation errors name `body.handling.tlp`; service errors name `handling.tlp`.
    const clean = (f: string) =>
      f
        .replace(/^\/+/, '')
        .replace(/\//g, '.')
        .replace(/^body\./, '')
        .replace(/\[(\d+)\]/g, '.$1');
    const wanted = clean(field);
    return this.errors.find((e) => {
      const f = clean(e.field);
      return f === wanted || f.startsWith(`${wanted}.`);
    })?.message;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BASE = '/api/v1';

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Remembers the session's CSRF token; every unsafe request sends it from then on. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an API answer says the session is gone (401), so the app can show sign-in. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/** Query-string values; empty ones (undefined, null, "") are left out of the address. */
export type Query = Record<string, string | number | boolean | undefined | null>;

/** Builds `?a=1&b=2`, leaving out empty values. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not call the unauthenticated handler on 401 (sign-in and session probes). */
  quiet401?: boolean;
}

/**
 * Calls the API with the session cookie and, on unsafe methods, the CSRF token. Resolves with the
 * parsed JSON (undefined for 204); rejects with an ApiError carrying the problem+json details.
 */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`${path.startsWith('/api/') ? '' : BASE}${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { title: 'Network error', detail: 'The server could not be reached.' });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const body: ProblemBody =
      parsed && typeof parsed === 'object' ? (parsed as ProblemBody) : { title: response.statusText };
    const error = new ApiError(response.status, body);
    if (response.status === 401 && !options.quiet401 && onUnauthenticated) onUnauthenticated();
    throw error;
  }
  return parsed as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  api<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, { body: body ?? {} });
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, { body });
export const del = <T = void>(path: string) => api<T>('DELETE', path);

/** The session's CSRF token, for requests made outside `api()` (uploads with progress). */
export function currentCsrfToken(): string | null {
  return csrfToken;
}

/**
 * Sends a file as the raw request body with upload progress (XMLHttpRequest reports it; fetch does
 * not). Resolves with the parsed JSON answer; rejects with an ApiError like `api()`.
 */
export function uploadRaw<T>(
  path: string,
  file: Blob,
  options: {
    query?: Query;
    headers?: Record<string, string>;
    onProgress?: (sent: number, total: number) => void;
  },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${BASE}${path}${queryString(options.query)}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onProgress?.(e.loaded, e.total);
    };
    xhr.onerror = () =>
      reject(new ApiError(0, { title: 'Network error', detail: 'The server could not be reached.' }));
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(parsed as T);
        return;
      }
      const body: ProblemBody =
        parsed && typeof parsed === 'object' ? (parsed as ProblemBody) : { title: xhr.statusText };
      if (xhr.status === 401 && onUnauthenticated) onUnauthenticated();
      reject(new ApiError(xhr.status, body));
    };
    xhr.send(file);
  });
}

/** Posts a file's bytes (a preview slice) as the raw body and parses the JSON answer. */
export async function postRaw<T>(path: string, body: Blob, query?: Query): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'content-type': 'application/octet-stream',
  };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`${BASE}${path}${queryString(query)}`, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body,
    });
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'The server could not be reached.' });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const problem: ProblemBody =
      parsed && typeof parsed === 'object' ? (parsed as ProblemBody) : { title: response.statusText };
    if (response.status === 401 && onUnauthenticated) onUnauthenticated();
    throw new ApiError(response.status, problem);
  }
  return parsed as T;
}
