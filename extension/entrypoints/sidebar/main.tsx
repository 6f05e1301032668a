import { mountSidebar } from '../../sidebar/mount';

void mountSidebar(document.getElementById('root')!);
