import { pinyin } from 'pinyin-pro';
import type { Initials } from './search';

/**
 * 拼音首字母 of a name (湛江中心人民医院 → zjzxrmyy; 血常规 → xcg): pinyin-pro reads polyphones in
 * their word (长沙 cs, 重庆 cq). Letters and digits stay as they are, lower-cased (胸部CT → xbct).
 * Large (≈145 KB gzip): shells load this module only when the paper entry opens.
 */
export const initials: Initials = (text) =>
  pinyin(text, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
