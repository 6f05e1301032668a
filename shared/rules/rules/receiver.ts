import type { InstitutionLevel } from '../schema/institution.ts';

/** 接收机构: the hospital where the physician works, as the level and mark rules see it. */
export interface Receiver {
  id: string;
  name: string;
  level: InstitutionLevel;
  rank: number;
  region: string;
  alliances: ReadonlySet<string>;
}
