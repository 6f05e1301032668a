import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConfigBody, type PackRef } from '../../shared/fleet/config.ts';
import { jsonPath } from '../../shared/hub/ingest.ts';
import { parseRulePack } from '../../shared/rules/parse.ts';
import { SiteAdapterList } from '../../extension/settings/site-adapter-schema.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { HubKeys } from '../security/keys.ts';
import { issueToken, listTokens, revokeToken, type TokenScope } from '../auth/tokens.ts';

/**
 * What hospital IT does to the hub, whichever way it arrives (the CLI against the database, or
 * the running hub's admin socket). Every change writes a hub_audit row naming the actor.
 */
export class AdminError extends Error {
  override name = 'AdminError';
}

const Id = z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'letters, digits, _ . - only');

export const HospitalInput = z.strictObject({
  id: Id,
  name: z.string().trim().min(1).max(128),
  level: z.string().trim().max(32).optional(),
  region: z.string().trim().max(64).optional(),
  campuses: z
    .array(z.strictObject({ id: Id, name: z.string().trim().min(1).max(128), departments: z.array(z.string().trim().min(1).max(64)).max(500).default([]) }))
    .max(50)
    .default([]),
});
export type HospitalInput = z.input<typeof HospitalInput>;

/** `hub org import`: hospitals with their 院区 and which departments sit in each. */
export const OrgFile = z.strictObject({ hospitals: z.array(HospitalInput).min(1).max(5000) });

function problem(error: z.ZodError, prefix: PropertyKey[] = []): AdminError {
  const issue = error.issues[0]!;
  return new AdminError(`${jsonPath([...prefix, ...issue.path])}: ${issue.message}`);
}

async function audit(db: Queryable, actor: string, action: string, hospitalId: string | null, detail: unknown): Promise<void> {
  await db.query(`insert into hub_audit (actor, action, hospital_id, outcome, detail) values ($1, $2, $3, 'ok', $4)`, [actor, action, hospitalId, JSON.stringify(detail)]);
}

/** Adds or updates hospitals (with campuses and department placement) in one transaction. */
export async function importOrg(db: Database, input: unknown, actor: string): Promise<{ hospitals: number }> {
  const parsed = OrgFile.safeParse(input);
  if (!parsed.success) throw problem(parsed.error);
  await db.transaction(async (tx) => {
    for (const h of parsed.data.hospitals) {
      await tx.query(
        `insert into hospital (id, name, level, region) values ($1, $2, $3, $4)
         on conflict (id) do update set name = excluded.name, level = excluded.level, region = excluded.region`,
        [h.id, h.name, h.level ?? null, h.region ?? null],
      );
      for (const c of h.campuses) {
        await tx.query(`insert into campus (hospital_id, id, name) values ($1, $2, $3) on conflict (hospital_id, id) do update set name = excluded.name`, [h.id, c.id, c.name]);
        for (const d of c.departments) {
          await tx.query(
            `insert into department (hospital_id, name, campus_id) values ($1, $2, $3)
             on conflict (hospital_id, name) do update set campus_id = excluded.campus_id`,
            [h.id, d, c.id],
          );
        }
      }
      await audit(tx, actor, 'hospital.upsert', h.id, { name: h.name, campuses: h.campuses.length });
    }
  });
  return { hospitals: parsed.data.hospitals.length };
}

export async function addHospital(db: Database, input: HospitalInput, actor: string): Promise<void> {
  await importOrg(db, { hospitals: [input] }, actor);
}

export async function listHospitals(db: Queryable): Promise<{ id: string; name: string; level: string | null; region: string | null }[]> {
  return (await db.query<{ id: string; name: string; level: string | null; region: string | null }>('select id, name, level, region from hospital order by id')).rows;
}

/**
 * Publishes a rule pack: validated with the same parser the browsers use (a hub never signs an
 * invalid pack), signed, stored under its id and version. Publishing the same content again is
 * a no-op; other content under a published version is refused (versions are immutable).
 */
export async function publishPack(db: Database, keys: HubKeys, text: string, actor: string): Promise<PackRef & { sha256: string; already: boolean }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AdminError('the pack is not JSON');
  }
  const parsed = parseRulePack(json);
  if (!parsed.ok) throw new AdminError(`invalid pack: ${parsed.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const { id, version, name, region } = parsed.pack.meta;
  // The signed text is the pack as given, re-serialized compactly: what browsers verify and parse.
  const body = JSON.stringify(json);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const { rows } = await db.query<{ sha256: string }>('select sha256 from rule_pack where pack_id = $1 and version = $2', [id, version]);
  if (rows[0]) {
    if (rows[0].sha256 !== sha256) throw new AdminError(`pack ${id}@${version} is already published with other content: give the new content a new version`);
    return { id, version, sha256, already: true };
  }
  const signed = keys.sign('rule-pack', body);
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into rule_pack (pack_id, version, name, region, body_text, sha256, signature, key_id, published_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, version, name, region, body, sha256, signed.signature, signed.keyId, actor],
    );
    await audit(tx, actor, 'pack.publish', null, { id, version, sha256 });
  });
  return { id, version, sha256, already: false };
}

export async function listPacks(db: Queryable): Promise<{ pack_id: string; version: string; name: string; sha256: string; published_at: Date }[]> {
  return (await db.query<{ pack_id: string; version: string; name: string; sha256: string; published_at: Date }>(
    'select pack_id, version, name, sha256, published_at from rule_pack order by pack_id, published_at',
  )).rows;
}

/** A new configuration version for a hospital; every pack it names must be published, every adapter valid. */
export async function setConfig(db: Database, hospitalId: string, input: unknown, actor: string): Promise<{ version: number }> {
  const parsed = ConfigBody.safeParse(input);
  if (!parsed.success) throw problem(parsed.error);
  const adapters = SiteAdapterList.safeParse(parsed.data.adapters);
  if (!adapters.success) throw problem(adapters.error, ['adapters']);
  return db.transaction(async (tx) => {
    const { rows: hospital } = await tx.query('select 1 from hospital where id = $1 for update', [hospitalId]);
    if (!hospital[0]) throw new AdminError(`no hospital ${hospitalId}`);
    for (const [i, ref] of parsed.data.packs.entries()) {
      const { rows } = await tx.query('select 1 from rule_pack where pack_id = $1 and version = $2', [ref.id, ref.version]);
      if (!rows[0]) throw new AdminError(`packs[${i}]: ${ref.id}@${ref.version} is not published (hub pack publish)`);
    }
    const { rows } = await tx.query<{ v: number | null }>('select max(version) as v from hospital_config where hospital_id = $1', [hospitalId]);
    const version = (rows[0]?.v ?? 0) + 1;
    await tx.query('insert into hospital_config (hospital_id, version, body, created_by) values ($1, $2, $3, $4)', [hospitalId, version, JSON.stringify(parsed.data), actor]);
    await audit(tx, actor, 'config.set', hospitalId, { version, packs: parsed.data.packs });
    return { version };
  });
}

export async function currentConfigBody(db: Queryable, hospitalId: string): Promise<ConfigBody> {
  const { rows } = await db.query<{ body: unknown }>('select body from hospital_config where hospital_id = $1 order by version desc limit 1', [hospitalId]);
  return ConfigBody.parse(rows[0]?.body ?? {});
}

/** Makes a published pack version active for hospitals (replacing that pack's older version): one new configuration version each. */
export async function activatePack(db: Database, hospitalIds: string[], pack: PackRef, actor: string): Promise<{ hospital: string; version: number }[]> {
  const ref = { id: pack.id, version: pack.version };
  const out: { hospital: string; version: number }[] = [];
  for (const hospital of hospitalIds) {
    const body = await currentConfigBody(db, hospital);
    const others = body.packs.filter((p) => p.id !== ref.id);
    const at = body.packs.findIndex((p) => p.id === ref.id);
    const packs = at === -1 ? [...others, ref] : [...others.slice(0, at), ref, ...others.slice(at)];
    out.push({ hospital, ...(await setConfig(db, hospital, { ...body, packs }, actor)) });
  }
  return out;
}

export { issueToken, listTokens, revokeToken, type TokenScope };

/** Counts per hospital: what arrived and when, decisions on paper results and consents among them (the CLI's `hub stats`; no patient data). */
export async function ingestSummary(db: Queryable): Promise<
  { hospital_id: string; decisions: number; recognized: number; retested: number; paper: number; events: number; prompted: number; viewed: number; cited: number; consents: number; last_received: Date | null }[]
> {
  const { rows } = await db.query<{
    hospital_id: string;
    decisions: number;
    recognized: number;
    retested: number;
    paper: number;
    events: number;
    prompted: number;
    viewed: number;
    cited: number;
    consents: number;
    last_received: Date | null;
  }>(
    `select h.id as hospital_id,
       coalesce(d.n, 0)::int as decisions, coalesce(d.accepted, 0)::int as recognized, coalesce(d.overridden, 0)::int as retested,
       coalesce(d.paper, 0)::int as paper,
       coalesce(e.n, 0)::int as events, coalesce(e.prompted, 0)::int as prompted, coalesce(e.viewed, 0)::int as viewed, coalesce(e.cited, 0)::int as cited,
       coalesce(e.consents, 0)::int as consents,
       greatest(d.last, e.last) as last_received
     from hospital h
     left join (select hospital_id, count(*) n, count(*) filter (where outcome = 'accepted') accepted,
                  count(*) filter (where outcome = 'overridden') overridden,
                  count(*) filter (where result_source = 'paper') paper, max(received_at) last from decision group by hospital_id) d on d.hospital_id = h.id
     left join (select hospital_id, count(*) n, count(*) filter (where kind = 'prompted') prompted,
                  count(*) filter (where kind in ('viewed', 'opened')) viewed, count(*) filter (where kind = 'cited') cited,
                  count(*) filter (where kind = 'consent') consents, max(received_at) last
                from event group by hospital_id) e on e.hospital_id = h.id
     order by h.id`,
  );
  return rows;
}
