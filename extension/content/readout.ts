import type { FrameReadout } from '../messaging/protocol';
import { maskIdentifier } from '../../shared/ui/panel/patient-key';
import { frameDocument, framePaths, readPart, type FrameReader } from './site-adapter';

/** What this frame reads with its share of an adapter, for the options page's test; the identifier leaves masked. */
export function readout(doc: Document, reader: FrameReader): FrameReadout {
  const part = readPart(doc, reader);
  if (part.fields.identifier) part.fields.identifier = maskIdentifier(part.fields.identifier);
  return {
    part,
    frames: framePaths(reader)
      .filter((path) => path.length > 0)
      .map((path) => ({ path, found: !!frameDocument(doc, path) })),
  };
}
