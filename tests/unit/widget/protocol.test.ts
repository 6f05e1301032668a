import { describe, expect, test } from 'vitest';
import { exactOrigin, FrameConfig, FrameMessage, HostMessage } from '../../../widget/frame/protocol';
import { startFrame } from '../../../widget/frame/frame-page';

const config = { fhirBaseUrl: 'https://platform.example/fhir/R4', receivingInstitution: 'zj-rmyy', packs: ['https://huren.hospital.example/packs/demo.json'] };

describe('iframe-mode protocol', () => {
  test('origins are exact: no wildcard, path, trailing slash or other scheme', () => {
    expect(exactOrigin('https://emr.hospital.example')).toBe('https://emr.hospital.example');
    expect(exactOrigin('http://emr.demo.localhost:8787')).toBe('http://emr.demo.localhost:8787');
    for (const bad of ['*', 'https://emr.hospital.example/', 'https://emr.hospital.example/emr', 'emr.hospital.example', 'javascript:alert(1)', 'https://*.hospital.example']) {
      expect(() => exactOrigin(bad), bad).toThrow(TypeError);
    }
  });

  test('the host cannot send a token, and every message names protocol version 1', () => {
    expect(FrameConfig.safeParse(config).success).toBe(true);
    expect(FrameConfig.safeParse({ ...config, token: 'secret' }).success).toBe(false);
    expect(HostMessage.safeParse({ huren: 1, type: 'context', context: null, config }).success).toBe(true);
    expect(HostMessage.safeParse({ huren: 2, type: 'context', context: null, config }).success).toBe(false);
    expect(HostMessage.safeParse({ type: 'context', context: null, config }).success).toBe(false);
  });

  test('messages are strict: unknown types and extra fields are refused', () => {
    expect(FrameMessage.safeParse({ huren: 1, type: 'ready' }).success).toBe(true);
    expect(FrameMessage.safeParse({ huren: 1, type: 'ready', patient: '440802197003150017' }).success).toBe(false);
    expect(FrameMessage.safeParse({ huren: 1, type: 'navigate', url: 'https://evil.example' }).success).toBe(false);
    expect(FrameMessage.safeParse({ huren: 1, type: 'resize', height: -1 }).success).toBe(false);
    expect(HostMessage.safeParse({ huren: 1, type: 'context', context: { patient: { identifier: { value: '' } } }, config }).success).toBe(false);
  });

  test('the frame page refuses to start without exact allowed origins, or outside an iframe', () => {
    const el = document.createElement('div');
    expect(() => startFrame(el, { allowedOrigins: ['*'] })).toThrow(/not an (exact )?origin/);
    expect(() => startFrame(el, { allowedOrigins: [] })).toThrow(/at least one/);
    expect(() => startFrame(el, { allowedOrigins: ['https://emr.hospital.example'] })).toThrow(/iframe/);
  });
});
