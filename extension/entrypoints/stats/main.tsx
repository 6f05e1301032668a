import { mountStats } from '../../stats/mount';

void mountStats(document.getElementById('root')!);
