import type { AdapterReadout } from '../messaging/protocol';
import { maskIdentifier } from '../../shared/ui/panel/patient-key';
import { frameDocument, framePaths, noteElement, readContext, type SiteAdapter } from './site-adapter';

/** What an adapter reads on this page, for the options page's test; the identifier leaves masked. */
export function readout(doc: Document, adapter: SiteAdapter): AdapterReadout {
  const context = readContext(doc, adapter);
  return {
    patientFound: !!context,
    identifierMasked: context && maskIdentifier(context.patient.identifier.value),
    name: context?.patient.name,
    gender: context?.patient.gender,
    age: context?.patient.age,
    physician: context?.user.physician,
    department: context?.user.department,
    orders: context?.orders ?? [],
    noteFound: !!noteElement(doc, adapter),
    frames: framePaths(adapter)
      .filter((path) => path.length > 0)
      .map((path) => ({ path, found: !!frameDocument(doc, path) })),
  };
}
