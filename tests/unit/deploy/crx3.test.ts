// @vitest-environment node
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { extensionIdOf, packCrx3, publicKeyDer, verifyCrx3 } from '../../../deploy/crx3';
import { hospitalManifest, planBuild, updateManifest, versionOf } from '../../../deploy/hospital-build';
import { HospitalConfig } from '../../../deploy/hospital-config';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const zip = Buffer.from('PK\x03\x04 a zip archive, as far as the signature is concerned', 'binary');

describe('CRX3', () => {
  test('header layout: Cr24, version 3, header size, then the archive unchanged', () => {
    const { crx } = packCrx3(zip, rsa);
    expect(crx.subarray(0, 4).toString('ascii')).toBe('Cr24');
    expect(crx.readUInt32LE(4)).toBe(3);
    const headerSize = crx.readUInt32LE(8);
    expect(crx.subarray(12 + headerSize).equals(zip)).toBe(true);
  });

  test('the id is the first 16 bytes of SHA-256 of the public key, written a–p', () => {
    const spki = publicKeyDer(rsa);
    const hex = createHash('sha256').update(spki).digest('hex').slice(0, 32);
    expect(extensionIdOf(spki)).toBe([...hex].map((c) => 'abcdefghijklmnop'[parseInt(c, 16)]).join(''));
    expect(packCrx3(zip, rsa).extensionId).toBe(extensionIdOf(spki));
  });

  test('verifies with RSA and with ECDSA P-256; any changed byte is refused', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const key of [rsa, ec]) {
      const { crx, extensionId } = packCrx3(zip, key);
      expect(verifyCrx3(crx).extensionId).toBe(extensionId);
      const tampered = Buffer.from(crx);
      tampered[tampered.length - 3]! ^= 1;
      expect(() => verifyCrx3(tampered)).toThrow(/signature/);
    }
    expect(() => verifyCrx3(Buffer.from('PK\x03\x04'))).toThrow(/Cr24|CRX/);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => packCrx3(zip, ed)).toThrow(/RSA or ECDSA/);
  });
});

describe('hospital build', () => {
  const config = HospitalConfig.parse({
    id: 'zj-rmyy',
    name: '湛江中心人民医院',
    release: 2,
    emrOrigins: ['https://his.zjrmyy.example', 'https://order.zjrmyy.example:8443/'],
    hubUrl: 'https://hub.zjrmyy.example',
    hubSigningKeys: [Buffer.alloc(32, 2).toString('base64')],
    settings: { fhirBaseUrl: 'https://hlw.example.gov.cn/fhir/R4', sidebarMode: 'push' },
  });
  const plan = planBuild(config, { baseVersion: '0.1.0', extensionId: 'a'.repeat(32), manifestKey: 'KEY', outDir: '/tmp/x' });

  test('the manifest grants the EMR origins (and the platform) only, frames the sidebar only there, updates from the hub', () => {
    const m = hospitalManifest(
      {
        host_permissions: ['http://127.0.0.1/*'],
        optional_host_permissions: ['https://*/*'],
        content_scripts: [{ matches: ['http://127.0.0.1/*'], js: ['content-scripts/emr.js'] }],
        web_accessible_resources: [{ resources: ['sidebar.html'], matches: ['<all_urls>'] }],
        browser_specific_settings: { gecko: {} },
      },
      plan,
    );
    expect(m.host_permissions).toEqual(['https://his.zjrmyy.example/*', 'https://order.zjrmyy.example:8443/*', 'https://hlw.example.gov.cn/*']);
    expect(m.optional_host_permissions).toBeUndefined();
    expect(m.content_scripts).toEqual([{ matches: ['https://his.zjrmyy.example/*', 'https://order.zjrmyy.example:8443/*'], js: ['content-scripts/emr.js'], all_frames: true }]);
    expect(m.web_accessible_resources![0]!.matches).toEqual(['https://his.zjrmyy.example/*', 'https://order.zjrmyy.example:8443/*']);
    expect(m).toMatchObject({ version: '0.1.0.2', update_url: 'https://hub.zjrmyy.example/extension/zj-rmyy/updates.xml', minimum_chrome_version: '109', key: 'KEY' });
    expect(m.browser_specific_settings).toBeUndefined();
    expect(plan.packaged.settings).toMatchObject({ hubUrl: 'https://hub.zjrmyy.example', sidebarMode: 'push' });
  });

  test('versions and the update manifest', () => {
    expect(versionOf('0.1.0', 0)).toBe('0.1.0');
    expect(versionOf('0.1.0', 7)).toBe('0.1.0.7');
    expect(() => versionOf('1.0.0-beta', 1)).toThrow();
    const xml = updateManifest('a'.repeat(32), '0.1.0.2', "https://hub/extension/zj-rmyy/huren-zj-rmyy-0.1.0.2.crx?a=1&b='2'");
    expect(xml).toContain(`appid='${'a'.repeat(32)}'`);
    expect(xml).toContain("codebase='https://hub/extension/zj-rmyy/huren-zj-rmyy-0.1.0.2.crx?a=1&amp;b=&apos;2&apos;'");
    expect(xml).toContain("version='0.1.0.2' prodversionmin='109'");
  });
});
