import { useEffect, useState } from 'react';
import type { OutboxService, OutboxStatus as Status } from '../../outbox/status';
import { useT } from '../i18n/I18nProvider';

/**
 * "N 条决定待发送" and the last sending error, while decisions are stored here but not yet
 * acknowledged by the hospital. Hidden when nothing is pending (or the shell has no outbox).
 */
export function OutboxStatus({ outbox }: { outbox?: OutboxService }) {
  const t = useT();
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => outbox?.subscribe(setStatus), [outbox]);
  if (!status || status.pending === 0) return null;
  return (
    <p className={status.lastError ? 'hr-freshness hr-warning' : 'hr-freshness'} role="status" data-testid="outbox-status">
      {t('outboxPending', { count: status.pending })}
      {status.lastError && <> · {t('outboxLastError', { error: status.lastError })}</>}
    </p>
  );
}
