import '../../compat/chrome109';
import { mountSidebar } from '../../sidebar/mount';

void mountSidebar(document.getElementById('root')!);
