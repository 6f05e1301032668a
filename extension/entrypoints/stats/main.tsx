import '../../compat/chrome109';
import { mountStats } from '../../stats/mount';

void mountStats(document.getElementById('root')!);
