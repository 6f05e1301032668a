import type { PatientIdentifier } from '../domain/encounter';
import { validConsent, type ConsentRecord, type ConsentStore } from '../consent/consent';
import { PaperReport, parsedPaperReports, type PaperStore } from '../paper/paper-report';
import type { ConsentRow, HurenDb, PaperRow } from './db';
import { patientKey } from './rows';
import type { WidgetDb } from './widget-db';

/*
 * Paper reports (实体检查结果) and consents (患者授权), in the extension's Dexie database (the
 * background's) and in the widget's plain IndexedDB one. Each save is one transaction: a report is
 * stored whole or not at all.
 */

async function paperRow(report: PaperReport): Promise<PaperRow> {
  const valid = PaperReport.parse(report);
  return { id: valid.id, patientKey: await patientKey(valid.patient), enteredAt: Date.parse(valid.enteredAt), report: valid };
}

const byEntry = (a: PaperReport, b: PaperReport) => a.enteredAt.localeCompare(b.enteredAt);

export class DexiePaperStore implements PaperStore {
  constructor(readonly db: HurenDb) {}
  async save(report: PaperReport): Promise<void> {
    await this.db.paper.add(await paperRow(report));
  }
  async forPatient(patient: PatientIdentifier): Promise<PaperReport[]> {
    return parsedPaperReports(await this.db.paper.where('patientKey').equals(await patientKey(patient)).toArray()).sort(byEntry);
  }
}

export class DexieConsentStore implements ConsentStore {
  constructor(readonly db: HurenDb) {}
  async current(patient: PatientIdentifier, now: Date): Promise<ConsentRecord | null> {
    return validConsent(await this.db.consent.get(await patientKey(patient)), now);
  }
  async record(consent: ConsentRecord): Promise<void> {
    await this.db.consent.put({ patientKey: await patientKey(consent.patient), consent } satisfies ConsentRow);
  }
}

export class IdbPaperStore implements PaperStore {
  constructor(readonly db: WidgetDb) {}
  async save(report: PaperReport): Promise<void> {
    const row = await paperRow(report);
    await this.db.tx('paper', 'readwrite', (tx) => void tx.objectStore('paper').add(row));
  }
  async forPatient(patient: PatientIdentifier): Promise<PaperReport[]> {
    const key = await patientKey(patient);
    return parsedPaperReports(await this.db.read('paper', (s) => s.index('patientKey').getAll(key) as IDBRequest<PaperRow[]>)).sort(byEntry);
  }
}

export class IdbConsentStore implements ConsentStore {
  constructor(readonly db: WidgetDb) {}
  async current(patient: PatientIdentifier, now: Date): Promise<ConsentRecord | null> {
    const key = await patientKey(patient);
    return validConsent(await this.db.read('consent', (s) => s.get(key) as IDBRequest<ConsentRow | undefined>), now);
  }
  async record(consent: ConsentRecord): Promise<void> {
    const row: ConsentRow = { patientKey: await patientKey(consent.patient), consent };
    await this.db.tx('consent', 'readwrite', (tx) => void tx.objectStore('consent').put(row));
  }
}
