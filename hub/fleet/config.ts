import { createHash } from 'node:crypto';
import { ConfigBody, FLEET_CONFIG_FORMAT, type FleetConfig } from '../../shared/fleet/config.ts';
import type { SignedDocument } from '../../shared/fleet/signed.ts';
import type { Queryable } from '../db/database.ts';
import type { HubKeys } from '../security/keys.ts';

export interface ServedConfig {
  version: number;
  etag: string;
  document: SignedDocument;
}

/**
 * Builds each hospital's signed configuration once per version and keeps it: a browser polling
 * costs one indexed read of the current version number, and a 304 when nothing changed.
 */
export class FleetConfigs {
  private readonly built = new Map<string, ServedConfig>();

  constructor(
    private readonly db: Queryable,
    private readonly keys: HubKeys,
  ) {}

  /** The hospital's current configuration, or null when it has none yet. */
  async current(hospitalId: string): Promise<ServedConfig | null> {
    const { rows } = await this.db.query<{ version: number }>('select max(version) as version from hospital_config where hospital_id = $1', [hospitalId]);
    const version = rows[0]?.version;
    if (!version) return null;
    const key = `${hospitalId}:${version}`;
    const cached = this.built.get(key);
    if (cached) return cached;
    const served = await this.build(hospitalId, version);
    this.built.set(key, served);
    return served;
  }

  private async build(hospitalId: string, version: number): Promise<ServedConfig> {
    const { rows } = await this.db.query<{ body: unknown; created_at: Date; name: string }>(
      `select c.body, c.created_at, h.name from hospital_config c join hospital h on h.id = c.hospital_id
       where c.hospital_id = $1 and c.version = $2`,
      [hospitalId, version],
    );
    const row = rows[0]!;
    const body = ConfigBody.parse(row.body);
    const packs: SignedDocument[] = [];
    for (const ref of body.packs) {
      const { rows: found } = await this.db.query<{ body_text: string; signature: string; key_id: string }>(
        'select body_text, signature, key_id from rule_pack where pack_id = $1 and version = $2',
        [ref.id, ref.version],
      );
      const pack = found[0];
      if (!pack) throw new Error(`configuration ${hospitalId} v${version} names pack ${ref.id}@${ref.version}, which is not published`);
      packs.push({ format: 'huren-signed/1', kind: 'rule-pack', keyId: pack.key_id, payload: pack.body_text, signature: pack.signature });
    }
    const config: FleetConfig = {
      format: FLEET_CONFIG_FORMAT,
      hospital: { id: hospitalId, name: row.name },
      version,
      issuedAt: new Date(row.created_at).toISOString(),
      settings: body.settings,
      adapters: body.adapters,
      packs,
    };
    const document = this.keys.sign('fleet-config', JSON.stringify(config));
    const etag = `"${hospitalId.replace(/[^\w-]/g, '_')}-${version}-${createHash('sha256').update(document.payload).digest('base64url').slice(0, 12)}"`;
    return { version, etag, document };
  }
}
