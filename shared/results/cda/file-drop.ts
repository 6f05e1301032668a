import type { PatientIdentifier } from '../../domain/encounter';
import type { DocumentRef, DocumentTransport, Fetched } from './transport';

export interface DroppedDocument {
  /** Names the document in the panel (file name, report number). */
  label: string;
  /** Whose document it is, as the drop was filed (the parser still checks the 身份证号 inside). */
  patient: string;
  bytes: Uint8Array;
}

/**
 * A file or fixture drop: documents handed over as files (an export from a platform, a USB drop in a
 * hospital without an interface). Also what the unit tests use, so they run the real parser and engine.
 */
export function createFileDropTransport(documents: readonly DroppedDocument[], id = 'file-drop'): DocumentTransport {
  return {
    id,
    async find({ patient }: { patient: PatientIdentifier }): Promise<DocumentRef[] | null> {
      const mine = documents.filter((d) => d.patient === patient.value.trim());
      return mine.length ? mine.map((d) => ({ label: d.label, content: d.bytes })) : null;
    },
    async fetch(refs: readonly DocumentRef[]): Promise<Fetched[]> {
      return refs.map((ref) => (ref.content ? { ref, bytes: ref.content } : { ref, error: '文档内容缺失' }));
    },
  };
}
