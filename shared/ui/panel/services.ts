import type { AuditLog } from '../../audit/event';
import type { Decision } from '../../domain/decision';
import type { RulePack } from '../../rules';
import type { DecisionStore } from '../../decisions/store';
import type { OutboxService } from '../../outbox/status';
import type { ResultsSource } from '../../results/source';
import type { WatchVisibility } from './visibility';
import type { PaperStore } from '../../paper/paper-report';
import type { Initials } from '../../paper/search';
import type { ConsentSetting, ConsentStore } from '../../consent/consent';

/**
 * What a shell (extension sidebar, widget) gives the panel. The panel itself knows no browser
 * API: each shell decides where results are cached, where decisions are stored, how a citation
 * reaches the note.
 */
export interface PanelServices {
  source: ResultsSource;
  /** Active, validated rule packs. */
  packs: readonly RulePack[];
  /** 接收机构: the hospital the physician works in (institution id in the packs). */
  receivingInstitution: string;
  decisions: DecisionStore;
  /** Present when the host names a note field: puts text there, only on the physician's click. */
  insertIntoNote?: (text: string) => Promise<boolean>;
  /** Told after a decision is durable (the widget passes it to the host's onDecision). */
  onDecision?: (decision: Decision) => void;
  /** Decisions stored here but not yet at the hospital: the panel shows how many and the last error. */
  outbox?: OutboxService;
  /** 审计: who viewed whose results, what was shown, opened and decided (fire-and-forget). */
  audit?: AuditLog;
  now?: () => Date;
  /** Set where a page Huren does not control frames the panel (sidebar, iframe mode): decisions only from a visible panel. */
  watchVisibility?: WatchVisibility;
  /** 实体检查结果: where paper reports the physician enters are kept; absent: no paper entry. */
  paper?: PaperStore;
  /** 拼音首字母 for the paper entry's pickers, loaded when the form opens (pinyin-pro is large). */
  loadInitials?: () => Promise<Initials>;
  /** 患者授权: the hospital's setting (a pack may require it too) and where consents are kept. */
  consent?: { store: ConsentStore; setting?: ConsentSetting };
}
