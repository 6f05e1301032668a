import { z } from 'zod';
import { FIELD_NAMES, frameReader, mergeParts, type FramePart, type RawContext, type SiteAdapter } from '../content/site-adapter';

/**
 * One tab's frames and what each last read, merged into the tab's encounter. Pure: the caller
 * (context-store.ts) loads and stores the state in storage.session, one tab at a time.
 *
 * The rule that keeps patients apart: when the merged identifier changes (a patient switch, in
 * whichever frame shows it), every other frame's report is dropped, and those frames are asked to
 * read again. A frame that still shows the previous patient's orders or name cannot lend them to
 * the new patient: its report counts again only when it is sent after the switch.
 */
const text = z.string().max(512);
export const FramePartSchema = z.strictObject({
  fields: z.partialRecord(z.enum(FIELD_NAMES), text),
  orders: z.array(z.strictObject({ name: text, code: text.optional() })).max(200).optional(),
  note: z.boolean(),
});

export interface FrameRecord {
  documentId?: string;
  /** The frame's origin and path (no query or fragment): what `frameUrl` patterns are matched against. */
  where: string;
  part: FramePart | null;
  /** Order of arrival: later reports win a field both frames read. */
  seq: number;
}

export interface TabFrames {
  /** The top document these frames belong to; another one means a new page. */
  topDocumentId?: string;
  frames: Record<string, FrameRecord>;
  seq: number;
}

export const emptyTab = (): TabFrames => ({ frames: {}, seq: 0 });

/** The address a frame is known by: origin and path only, never the query (it may name the patient). */
export function whereOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.origin}${u.pathname}` : undefined;
  } catch {
    return undefined;
  }
}

export interface FrameReport {
  frameId: number;
  documentId?: string;
  where: string;
  part: FramePart | null;
}

export interface ReportOutcome {
  state: TabFrames;
  context: RawContext | undefined;
  /** The patient changed (or opened, or closed): the other frames must read again. */
  switched: boolean;
}

/** Keeps only what this frame's share of the adapter lets it report. */
export function allowedPart(adapter: SiteAdapter, report: FrameReport): FramePart | null {
  if (!report.part) return null;
  const reader = frameReader(adapter, report.where, report.frameId === 0);
  if (!reader) return null;
  const fields: FramePart['fields'] = {};
  for (const name of FIELD_NAMES) {
    const value = report.part.fields[name];
    if (reader.fields[name] && value) fields[name] = value;
  }
  return { fields, ...(reader.orders && report.part.orders ? { orders: report.part.orders } : {}), note: !!reader.note && report.part.note };
}

function ordered(state: TabFrames): FrameRecord[] {
  return Object.values(state.frames).sort((a, b) => a.seq - b.seq);
}

export function mergedContext(adapter: SiteAdapter, state: TabFrames): RawContext | undefined {
  return mergeParts(adapter, ordered(state).flatMap((f) => (f.part ? [f.part] : [])));
}

/** Notes a frame (its address), before it reports anything; a new top document starts the tab afresh. */
export function recordFrame(state: TabFrames, frameId: number, documentId: string | undefined, where: string): TabFrames {
  const next = frameId === 0 && documentId !== state.topDocumentId ? { ...emptyTab(), topDocumentId: documentId, seq: state.seq } : { ...state, frames: { ...state.frames } };
  const known = next.frames[frameId];
  if (!known || known.documentId !== documentId || known.where !== where) next.frames[frameId] = { documentId, where, part: null, seq: known?.seq ?? next.seq };
  return next;
}

/** Applies one frame's report. */
export function applyReport(adapter: SiteAdapter, state: TabFrames, report: FrameReport): ReportOutcome {
  const before = mergedContext(adapter, state)?.patient.identifier.value;
  let next = recordFrame(state, report.frameId, report.documentId, report.where);
  const part = allowedPart(adapter, report);
  next.seq += 1;
  next.frames[report.frameId] = { documentId: report.documentId, where: report.where, part, seq: next.seq };
  const after = mergedContext(adapter, next)?.patient.identifier.value;
  const switched = before !== after;
  if (switched) {
    const frames: TabFrames['frames'] = {};
    for (const [id, f] of Object.entries(next.frames)) frames[id] = Number(id) === report.frameId ? f : { ...f, part: null };
    next = { ...next, frames };
  }
  return { state: next, context: mergedContext(adapter, next), switched };
}

/** The frame that holds the note field (a citation goes there); the top frame if none says so. */
export function noteFrame(state: TabFrames): number {
  const holder = ordered(state)
    .reverse()
    .find((f) => f.part?.note);
  if (!holder) return 0;
  const entry = Object.entries(state.frames).find(([, f]) => f === holder);
  return entry ? Number(entry[0]) : 0;
}
