import { describe, expect, test, vi } from 'vitest';
import { closeStorageToContentScripts } from '../../../extension/background/storage-access';

describe('storage areas closed to content scripts where the browser allows it', () => {
  test('every area that takes an access level is set to trusted contexts only; one that refuses or lacks the method keeps its default', async () => {
    const local = { setAccessLevel: vi.fn(async () => undefined) };
    const sync = { setAccessLevel: vi.fn(async () => Promise.reject(new Error('This StorageArea does not support setAccessLevel'))) };
    const managed = {};
    await expect(closeStorageToContentScripts({ local, sync, managed } as never)).resolves.toEqual(['local']);
    expect(local.setAccessLevel).toHaveBeenCalledWith({ accessLevel: 'TRUSTED_CONTEXTS' });
    expect(sync.setAccessLevel).toHaveBeenCalledWith({ accessLevel: 'TRUSTED_CONTEXTS' });
  });

  test('a browser without the method at all (Chrome 109, Firefox) changes nothing and does not fail', async () => {
    await expect(closeStorageToContentScripts({ local: {}, sync: undefined, managed: {} } as never)).resolves.toEqual([]);
  });
});
