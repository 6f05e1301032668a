import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { outboxService } from '../../../shared/outbox/status';
import { I18nProvider } from '../../../shared/ui/i18n/I18nProvider';
import { OutboxStatus } from '../../../shared/ui/panel/OutboxStatus';
import { OUTBOXES, saveMany } from './fixtures';

describe.each(OUTBOXES)('outbox in $name', ({ fresh }) => {
  test('shows how many decisions wait and the last error, follows changes, and hides when all are sent', async () => {
    const { outbox: store, store: decisions, patch } = fresh();
    const outbox = outboxService(store, vi.fn());
    const { container } = render(
      <I18nProvider locale="zh-CN">
        <OutboxStatus outbox={outbox} />
      </I18nProvider>,
    );
    expect(container.textContent).toBe('');

    const saved = await saveMany(decisions, 3);
    await screen.findByText('3 条决定待发送');

    await act(() => patch(saved[0]!.uuid, (row) => Object.assign(row, { lastError: 'HTTP 503: injected failure', lastAttemptAt: 1, attempts: 1 })));
    await screen.findByText(/3 条决定待发送 · 上次发送失败：HTTP 503: injected failure/);
    expect(screen.getByRole('status').className).toContain('hr-warning');

    await act(() => store.markSent(saved.map((d) => d.uuid), 2));
    await waitFor(() => expect(container.textContent).toBe(''));
  });

  test('English, and nothing at all for a shell without an outbox', async () => {
    const { outbox, store } = fresh();
    await saveMany(store, 1);
    render(
      <I18nProvider locale="en">
        <OutboxStatus outbox={outboxService(outbox, () => {})} />
        <OutboxStatus />
      </I18nProvider>,
    );
    expect(await screen.findAllByRole('status')).toHaveLength(1);
    screen.getByText('1 decision(s) waiting to be sent');
  });
});

test('dexieOutbox is the Dexie store behind the same service', async () => {
  const { dexieOutbox } = await import('../../../shared/outbox/status');
  const { freshStore } = await import('./fixtures');
  const { db, store } = freshStore();
  await saveMany(store, 2);
  expect(await dexieOutbox(db, () => {}).status()).toEqual({ pending: 2 });
});
