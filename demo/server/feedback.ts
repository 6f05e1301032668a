import type { IncomingMessage, ServerResponse } from 'node:http';
import { Decision } from '../../shared/domain/decision.ts';

/** Faults of the feedback endpoint, set through `POST /_faults` as `{ feedback: {...} }`. */
export interface FeedbackFaults {
  /** Answer the next N feedback requests with this status, storing nothing (Retry-After in s for 429/503). */
  failNext?: { count: number; status: number; retryAfter?: number };
  /** Store the next N batches, then destroy the socket: the client never sees the answer. */
  dropAfterStore?: number;
  /** Wait this long before storing and answering (a client timeout still leaves the batch stored). */
  delayMs?: number;
  /** Destroy every connection without storing or answering, as an unreachable host. */
  offline?: boolean;
}

export interface FeedbackStats {
  /** Distinct feedback entries stored (by uuid). */
  stored: number;
  /** Entries received again after they were stored: resends the uuid dedup absorbed. */
  duplicatesReceived: number;
  /** Feedback POSTs received, whatever became of them. */
  requests: number;
  /** Requests being handled right now (a test waits for one to stop the sender mid-send). */
  inFlight: number;
  uuids: string[];
}

export const FEEDBACK_SERVICE_ID = 'huren';
const BASE = `/cds-services/${FEEDBACK_SERVICE_ID}`;
const MAX_BODY = 5 * 1024 * 1024;

/**
 * The hospital side of Huren's decisions: a CDS Hooks 2.0 feedback endpoint
 * (`POST /cds-services/huren/feedback` with `{ feedback: [...] }`). Each entry is validated
 * (400 names the first bad path; the whole batch is then refused and nothing stored), stored
 * once per uuid, and a resent entry is counted, not stored again.
 */
export class FeedbackEndpoint {
  private readonly entries = new Map<string, Decision>();
  private duplicates = 0;
  private requests = 0;
  private inFlight = 0;

  constructor(private readonly faults: () => FeedbackFaults | undefined) {}

  handles(path: string): boolean {
    return path === '/cds-services' || path.startsWith(`${BASE}/`);
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'OPTIONS') return answer(res, 204, undefined);
    if (path === '/cds-services' && req.method === 'GET') return answer(res, 200, discovery());
    if (path === `${BASE}/feedback/_stats` && req.method === 'GET') return answer(res, 200, this.stats());
    if (path === `${BASE}/feedback` && req.method === 'POST') {
      this.requests++;
      this.inFlight++;
      try {
        return await this.receive(req, res);
      } finally {
        this.inFlight--;
      }
    }
    return answer(res, 404, { error: 'not found' });
  }

  stats(): FeedbackStats {
    return { stored: this.entries.size, duplicatesReceived: this.duplicates, requests: this.requests, inFlight: this.inFlight, uuids: [...this.entries.keys()] };
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const faults = this.faults() ?? {};
    if (faults.offline) return void req.socket.destroy();
    const text = await readBody(req, MAX_BODY);
    if (text === null) return answer(res, 413, { error: 'batch too large' });
    if (faults.delayMs) await new Promise((r) => setTimeout(r, faults.delayMs));
    if (faults.failNext && faults.failNext.count > 0) {
      faults.failNext.count--;
      const retry = faults.failNext.retryAfter ?? (faults.failNext.status === 429 ? 1 : undefined);
      return answer(res, faults.failNext.status, { error: 'injected failure' }, retry === undefined ? {} : { 'retry-after': String(retry) });
    }
    const parsed = parseBatch(text);
    if (!parsed.ok) return answer(res, 400, { error: parsed.error });
    let stored = 0;
    const results = parsed.feedback.map((entry, index) => {
      if (this.entries.has(entry.uuid)) {
        this.duplicates++;
        return { index, uuid: entry.uuid, status: 'duplicate' };
      }
      this.entries.set(entry.uuid, entry);
      stored++;
      return { index, uuid: entry.uuid, status: 'stored' };
    });
    if (faults.dropAfterStore && faults.dropAfterStore > 0) {
      faults.dropAfterStore--;
      return void req.socket.destroy();
    }
    // Per entry, as the hub answers: the sender marks sent exactly the entries listed as stored or duplicate.
    answer(res, 200, { results, stored, duplicates: parsed.feedback.length - stored, rejected: 0 });
  }
}

function parseBatch(text: string): { ok: true; feedback: Decision[] } | { ok: false; error: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, error: 'body is not JSON' };
  }
  const list = (body as { feedback?: unknown } | null)?.feedback;
  if (!Array.isArray(list)) return { ok: false, error: 'feedback: expected an array' };
  const feedback: Decision[] = [];
  for (const [i, entry] of list.entries()) {
    const one = Decision.safeParse(entry);
    if (!one.success) {
      const issue = one.error.issues[0]!;
      return { ok: false, error: `feedback[${i}]${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}` };
    }
    feedback.push(one.data);
  }
  return { ok: true, feedback };
}

/** A minimal CDS Hooks discovery document naming the service whose feedback this server takes. */
function discovery() {
  return {
    services: [
      {
        hook: 'order-select',
        id: FEEDBACK_SERVICE_ID,
        title: '互认助手 decisions',
        description: 'Receives Huren recognition (互认) and re-test (复查) decisions as CDS Hooks feedback.',
      },
    ],
  };
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-expose-headers': 'retry-after',
    ...headers,
  });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** The body as text, or null past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => ok(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
