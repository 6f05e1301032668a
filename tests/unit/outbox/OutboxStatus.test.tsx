import { act, render, screen, waitFor } from '@testing-library/react';
import { expect, test, vi } from 'vitest';
import { dexieOutbox } from '../../../shared/outbox/status';
import { I18nProvider } from '../../../shared/ui/i18n/I18nProvider';
import { OutboxStatus } from '../../../shared/ui/panel/OutboxStatus';
import { freshStore, saveMany } from './fixtures';

test('shows how many decisions wait and the last error, follows changes, and hides when all are sent', async () => {
  const { db, store } = freshStore();
  const outbox = dexieOutbox(db, vi.fn());
  const { container } = render(
    <I18nProvider locale="zh-CN">
      <OutboxStatus outbox={outbox} />
    </I18nProvider>,
  );
  expect(container.textContent).toBe('');

  const saved = await saveMany(store, 3);
  await screen.findByText('3 条决定待发送');

  await act(() => db.decisions.update(saved[0]!.uuid, { lastError: 'HTTP 503: injected failure', lastAttemptAt: 1, attempts: 1 } as never));
  await screen.findByText(/3 条决定待发送 · 上次发送失败：HTTP 503: injected failure/);
  expect(screen.getByRole('status').className).toContain('hr-warning');

  await act(() => db.decisions.toCollection().modify({ state: 'sent' }));
  await waitFor(() => expect(container.textContent).toBe(''));
});

test('English, and nothing at all for a shell without an outbox', async () => {
  const { db, store } = freshStore();
  await saveMany(store, 1);
  render(
    <I18nProvider locale="en">
      <OutboxStatus outbox={dexieOutbox(db, () => {})} />
      <OutboxStatus />
    </I18nProvider>,
  );
  expect(await screen.findAllByRole('status')).toHaveLength(1);
  screen.getByText('1 decision(s) waiting to be sent');
});
