import type { CdaSourceSettings } from '../../shared/results/cda/config.ts';

/** The extension settings that point it at the demo platform's documents (XDS.b or the REST wrapper). */
export function demoCdaSettings(base: string, transport: 'xds' | 'rest'): { resultsSource: 'cda'; cdaSource: CdaSourceSettings } {
  return {
    resultsSource: 'cda',
    cdaSource:
      transport === 'xds'
        ? { transport: { kind: 'xds', registryUrl: `${base}/xds/registry`, repositoryUrl: `${base}/xds/repository` } }
        : { transport: { kind: 'rest', queryUrl: `${base}/cda-rest/documents`, documentsPath: 'data.documents', contentPath: 'content', idPath: 'docId', typePath: 'type', notFoundPath: 'data.patientNotFound' } },
  };
}
